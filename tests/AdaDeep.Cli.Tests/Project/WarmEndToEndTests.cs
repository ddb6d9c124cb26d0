using System.Text.Json;
using AdaDeep.Cli.Project;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>
/// Issue 8 end to end: `adadeep warm` with the real engine fills the cache for two devices; then one `dotnet build`
/// of both device variants, whose tool fails if it is ever started, succeeds on cache hits alone and embeds both
/// compressed models.
/// </summary>
[Trait("Category", "EndToEnd")]
public class WarmEndToEndTests
{
    private const string LogicalName = "AdaDeep.mlp.onnx";
    private static readonly string[] Devices = { "sony-sw3", "xiaomi-mi6" };

    [Fact]
    public void After_warm_the_device_variants_build_from_the_cache_without_starting_the_engine()
    {
        // A fast search (greedy, 2 s) set on the item, as a project would for CI: the settings are part of the key.
        using var project = new TestProject(
            """<AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" MaxAccuracyDrop="0.05" Optimizer="greedy" TimeBudgetSeconds="2" />""",
            "<AdaDeepToolPath>../tool/adadeep</AdaDeepToolPath>");
        // The build's tool: the same engine files as this tool (so the same engine identity), started by a script that fails.
        var toolFolder = Path.Combine(project.Root, "tool");
        project.WriteFailingTool(toolFolder);
        // Linked, not copied: libtorch alone is ~450 MB.
        foreach (var file in AdaDeep.Engine.Cache.CacheKey.EngineIdentityFiles(ProjectPlanner.ToolDirectory))
        {
            var link = Path.Combine(toolFolder, Path.GetRelativePath(ProjectPlanner.ToolDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, file);
        }

        Assert.Equal(AdaDeep.Engine.Cache.CacheKey.EngineIdentity(ProjectPlanner.ToolDirectory), AdaDeep.Engine.Cache.CacheKey.EngineIdentity(toolFolder));

        var listed = Keys(project);
        Assert.Equal(new[] { "missing", "missing" }, listed.Select(m => m.Cache));

        var warm = CliRunner.Run("warm", "--project", project.ProjectPath, "--devices", string.Join(';', Devices), "--progress", "lines");

        Assert.True(warm.ExitCode == 0, warm.Output + warm.Error);
        Assert.Contains("2 cache key(s): 2 compressed, 0 already cached, 0 failed", warm.Output);
        var warmed = Keys(project);
        Assert.Equal(listed.Select(m => m.Key), warmed.Select(m => m.Key));
        Assert.Equal(new[] { "cached", "cached" }, warmed.Select(m => m.Cache));

        var (exit, output) = DotnetBuild(project, "-t:AdaDeepBuildVariants", $"-p:AdaDeepDevices={string.Join(' ', Devices)}");

        Assert.True(exit == 0, output);
        Assert.Equal(0, project.ToolRuns);
        Assert.Equal(2, CountOf(output, "[cache hit"));
        Assert.DoesNotContain("[cache miss", output);
        for (var i = 0; i < Devices.Length; i++)
        {
            var assembly = Path.Combine(project.ProjectDirectory, "bin", "Debug", Devices[i], "net10.0", "App.dll");
            var embedded = ReadResource(assembly, LogicalName);
            Assert.NotNull(embedded);
            Assert.Equal(File.ReadAllBytes(Path.Combine(warmed[i].CacheEntry!, "model.onnx")), embedded);
            // The embedded model is a working model of the same interface.
            var outputs = OrtRunner.Run(OnnxModel.Parse(embedded), new[] { 0.1f, -0.2f, 0.3f, 0.4f }, new[] { 1, 4 });
            Assert.Equal(3, outputs.Length);
        }
    }

    private sealed record Listed(string Key, string Cache, string? CacheEntry);

    private static List<Listed> Keys(TestProject project)
    {
        var result = CliRunner.Run("--project", project.ProjectPath, "--devices", string.Join(';', Devices), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("models").EnumerateArray()
            .Select(m => new Listed(m.GetProperty("key").GetString()!, m.GetProperty("cache").GetString()!,
                m.TryGetProperty("cacheEntry", out var entry) ? entry.GetString() : null))
            .ToList();
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>`dotnet build` of the project in a child process (10–20 s here), normal verbosity.</summary>
    private static (int ExitCode, string Output) DotnetBuild(TestProject project, params string[] arguments) =>
        AdaDeep.TestUtilities.DotnetBuild.Run(project.ProjectDirectory, project.ProjectPath, arguments);

    private static byte[]? ReadResource(string assemblyPath, string logicalName) =>
        AdaDeep.TestUtilities.DotnetBuild.ReadResource(assemblyPath, logicalName);
}
