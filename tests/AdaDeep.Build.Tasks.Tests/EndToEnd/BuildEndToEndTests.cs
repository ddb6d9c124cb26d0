using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// Real `dotnet build`s of a temporary project with the fake tool (about 10–20 s each on two cores, so few of them).
/// One collection with the other end-to-end classes: their builds run one after the other, not in parallel.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public class BuildEndToEndTests
{
    private const string LogicalName = "AdaDeep.mlp.onnx";

    [Fact]
    public void Build_embeds_the_compressed_model_a_no_op_rebuild_skips_the_target_and_disabled_embeds_the_original()
    {
        using var harness = new BuildHarness();

        var (exit, output) = harness.Build();

        Assert.True(exit == 0, output);
        Assert.Equal(1, harness.ToolRuns);
        Assert.Contains("AdaDeep: mlp.onnx → sony-sw3:", output);
        Assert.Contains("[cache miss", output);
        Assert.Contains("warning ADA4099", output);
        var args = Assert.Single(FakeTool.Runs(harness.ToolLog));
        Assert.Contains("--device sony-sw3 --latency-budget-ms 10 --min-accuracy 0.9", args);
        Assert.Contains("--progress lines", args);

        var compressed = Path.Combine(harness.ProjectDirectory, "obj", "Debug", "net10.0", "adadeep", "sony-sw3", LogicalName);
        var embedded = BuildHarness.ReadResource(Path.Combine(harness.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), LogicalName);
        Assert.NotNull(embedded);
        Assert.Equal(File.ReadAllBytes(compressed), embedded);
        Assert.Equal(File.ReadAllBytes(Path.Combine(harness.ProjectDirectory, "models", "mlp.onnx")).Concat(FakeTool.Suffix), embedded);
        var accessors = File.ReadAllText(Path.Combine(harness.ProjectDirectory, "obj", "Debug", "net10.0", "AdaDeepModels.g.cs"));
        Assert.Contains("internal static class Mlp", accessors);
        Assert.Contains($"public const string ResourceName = \"{LogicalName}\";", accessors);
        var outputs = OrtRunner.Run(OnnxModel.Parse(embedded), new float[] { 0.1f, -0.2f, 0.3f, 0.4f }, new[] { 1, 4 });
        Assert.Equal(3, outputs.Length);
        Assert.Equal(OrtRunner.Run(TinyModels.Mlp(), new float[] { 0.1f, -0.2f, 0.3f, 0.4f }, new[] { 1, 4 }), outputs);

        var (exit2, output2) = harness.Build("--no-restore");

        Assert.True(exit2 == 0, output2);
        Assert.Equal(1, harness.ToolRuns);
        Assert.Contains("Skipping target \"_AdaDeepCompress\" because all output files are up-to-date", output2);
        Assert.DoesNotContain("[cache", output2);
        // An up-to-date model still reports its kept result: the summary and the warning, with its code.
        Assert.Contains("[up to date]", output2);
        Assert.Contains("warning ADA4099", output2);

        // Disabled: no tool, the original model under the same name.
        var (exit3, output3) = harness.Build("--no-restore", "-p:AdaDeepEnabled=false");
        Assert.True(exit3 == 0, output3);
        Assert.Equal(1, harness.ToolRuns);
        Assert.Equal(File.ReadAllBytes(Path.Combine(harness.ProjectDirectory, "models", "mlp.onnx")),
            BuildHarness.ReadResource(Path.Combine(harness.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), LogicalName));
    }

    [Fact]
    public void Variants_build_side_by_side_share_the_cache_and_a_budget_change_misses()
    {
        using var harness = new BuildHarness();

        var (exit, output) = harness.Build("-t:AdaDeepBuildVariants", "-p:AdaDeepDevices=sony-sw3 xiaomi-mi6");

        Assert.True(exit == 0, output);
        Assert.Equal(2, harness.ToolRuns);
        foreach (var device in new[] { "sony-sw3", "xiaomi-mi6" })
        {
            var assembly = Path.Combine(harness.ProjectDirectory, "bin", "Debug", device, "net10.0", "App.dll");
            Assert.True(File.Exists(assembly), $"{assembly} missing\n{output}");
            Assert.NotNull(BuildHarness.ReadResource(assembly, LogicalName));
            Assert.True(File.Exists(Path.Combine(harness.ProjectDirectory, "obj", "Debug", device, "net10.0", "adadeep", device, LogicalName)));
        }

        Assert.Contains(FakeTool.Runs(harness.ToolLog), r => r.Contains("--device xiaomi-mi6"));

        // The plain build targets sony-sw3 with the same settings as the sony-sw3 variant: a cache hit, no tool.
        var (exit2, output2) = harness.Build("--no-restore");
        Assert.True(exit2 == 0, output2);
        Assert.Equal(2, harness.ToolRuns);
        Assert.Contains("[cache hit", output2);
        Assert.NotNull(BuildHarness.ReadResource(Path.Combine(harness.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), LogicalName));

        // A different budget is a different key.
        var (exit3, output3) = harness.Build("--no-restore", "-p:TestLatency=5");
        Assert.True(exit3 == 0, output3);
        Assert.Equal(3, harness.ToolRuns);
        Assert.Contains("--latency-budget-ms 5 ", FakeTool.Runs(harness.ToolLog)[2]);
        Assert.Contains("[cache miss", output3);
    }
}
