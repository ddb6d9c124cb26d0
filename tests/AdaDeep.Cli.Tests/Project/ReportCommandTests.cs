using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>`adadeep report`: the Markdown table over items × devices from the cached results.</summary>
public class ReportCommandTests
{
    [Fact]
    public void The_report_shows_cached_figures_against_the_budgets_and_the_missing_variants()
    {
        using var project = new TestProject("""<AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="10" EnergyBudgetMJ="0.001" MinAccuracy="0.9" />""");
        var key = project.Plan(devices: new[] { "sony-sw3" }).Models[0].Key!;
        var result = Path.Combine(project.Root, "result.json");
        File.WriteAllText(result, new CompressResult
        {
            Model = "mlp.onnx", OutputSha256 = "ab", Device = "sony-sw3", Optimizer = "dqn", Techniques = "C2+W3",
            SizeBytes = 61440, OriginalSizeBytes = 122880, Macs = 1500000, OriginalMacs = 3000000,
            LatencyMs = 0.25, LatencyBudgetMs = 10, EnergyMJ = 0.002, EnergyBudgetMJ = 0.001, Accuracy = 0.9712,
            MinAccuracy = 0.9, AccuracyIsAgreement = false, BudgetsMet = false,
        }.ToJson());
        CacheStore.Open(project.CacheDirectory).Publish(key, new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = Path.Combine(project.ProjectDirectory, "models", "mlp.onnx"),
            ["result.json"] = result,
        });
        var markdown = Path.Combine(project.Root, "out", "summary.md");

        var run = CliRunner.Run("report", "--project", project.ProjectPath, "--devices", "sony-sw3 xiaomi-mi6", "--output", markdown);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 of 2 model variants cached", run.Output);
        var lines = File.ReadAllLines(markdown);
        Assert.Equal("## AdaDeep models: App.csproj", lines[0]);
        Assert.Contains("| Model | Device | Cached | Techniques | Size | MACs | Latency (ms) | Energy (mJ) | Accuracy | Budgets | Status |", lines);
        Assert.Contains("| models/mlp.onnx | sony-sw3 | yes | C2+W3 | 60 KB (−50 %) | 1.5 M (−50 %) | 0.25 ≤ 10 ✅ | 0.002 > 0.001 ❌ | 97.12 % ≥ 90 % ✅ "
            + "| latency ≤ 10 ms, energy ≤ 0.001 mJ, accuracy ≥ 0.9 | **missed** |", lines);
        Assert.Contains("| models/mlp.onnx | xiaomi-mi6 | no | - | - | - | - | - | - | latency ≤ 10 ms, energy ≤ 0.001 mJ, accuracy ≥ 0.9 | not compressed yet |", lines);
    }

    [Fact]
    public void Without_output_the_Markdown_goes_to_standard_output()
    {
        using var project = new TestProject("""<AdaDeepModel Include="models/mlp.onnx" Device="host" />""");

        var run = CliRunner.Run("report", "--project", project.ProjectPath);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("## AdaDeep models: App.csproj", run.Output);
        Assert.Contains("| models/mlp.onnx | host | no |", run.Output);
        Assert.Contains("0 of 1 model variants cached.", run.Output);
    }
}
