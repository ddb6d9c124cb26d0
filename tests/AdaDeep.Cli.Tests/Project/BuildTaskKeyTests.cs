using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>
/// The keys the listing shows are the keys the build task computes: the real AdaDeepCompress task (built from
/// src/AdaDeep.Build.Tasks, run in process by MSBuild) logs its key, finds an entry published under the listed key
/// without starting the tool, and starts the tool for a key that is not cached.
/// </summary>
public class BuildTaskKeyTests
{
    [Fact]
    public void The_build_task_computes_the_listed_keys_and_a_listed_cached_key_starts_no_tool()
    {
        using var project = new TestProject(
            """<AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="12.5" MinAccuracy="0.9" TimeBudgetSeconds="3" Optimizer="GREEDY" />""",
            "<AdaDeepToolPath>../tool/adadeep</AdaDeepToolPath>");
        project.WriteFailingTool(Path.Combine(project.Root, "tool"));
        var plan = project.Plan(devices: new[] { "sony-sw3", "xiaomi-mi6" });
        var (sony, xiaomi) = (plan.Models[0], plan.Models[1]);
        Assert.NotEqual(sony.Key, xiaomi.Key);
        var compressed = Path.Combine(project.Root, "compressed.onnx");
        File.WriteAllBytes(compressed, File.ReadAllBytes(sony.Settings.ModelPath).Concat(new byte[] { 0 }).ToArray());
        var result = Path.Combine(project.Root, "result.json");
        File.WriteAllText(result, $"{{\"outputSha256\": \"{CacheKey.HashFile(compressed)}\", \"budgetsMet\": true, \"techniques\": \"none\"}}");
        CacheStore.Open(project.CacheDirectory).Publish(sony.Key!, new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = compressed,
            [CacheStore.ResultJsonFileName] = result,
        });

        var (hit, hitLog) = InProcessBuild.Run(project.ProjectPath, new Dictionary<string, string> { ["AdaDeepDevice"] = "sony-sw3" }, "AdaDeepCompress");

        Assert.True(hit, hitLog);
        Assert.Contains($"for sony-sw3: cache key {sony.Key}", hitLog);
        Assert.Equal(0, project.ToolRuns);
        var delivered = Assert.Single(Directory.GetFiles(Path.Combine(project.ProjectDirectory, "obj"), "AdaDeep.mlp.onnx", SearchOption.AllDirectories));
        Assert.Equal(File.ReadAllBytes(compressed), File.ReadAllBytes(delivered));

        var (miss, missLog) = InProcessBuild.Run(project.ProjectPath, new Dictionary<string, string> { ["AdaDeepDevice"] = "xiaomi-mi6" }, "AdaDeepCompress");

        Assert.False(miss);
        Assert.Contains($"for xiaomi-mi6: cache key {xiaomi.Key}", missLog);
        Assert.Equal(1, project.ToolRuns);
    }
}
