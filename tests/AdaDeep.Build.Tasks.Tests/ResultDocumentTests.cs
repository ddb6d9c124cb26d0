using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Build.Tasks.Tests;

/// <summary>The task reads the tool's result with the contract's one reader (CompressResult.FromJson).</summary>
public class ResultDocumentTests
{
    [Fact]
    public void Reads_every_field_of_the_contract()
    {
        var result = CompressResult.FromJson("""
            {"model": "net.onnx", "outputSha256": "ab12", "sizeBytes": 27000, "macs": 2400000, "latencyMs": 4.2,
             "latencyBudgetMs": null, "energyMJ": 0.13, "accuracy": 0.981, "accuracyIsAgreement": false, "budgetsMet": false,
             "techniques": "C2+W3", "warnings": ["ADA4002: budgets missed by 3%", "plain note", {"code": "ADA3001", "message": "W2 skipped"},
               "net.onnx: warning ADA3006: no data set given"],
             "somethingNew": [1, 2]}
            """);
        Assert.Equal("net.onnx", result.Model);
        Assert.Equal(27000, result.SizeBytes);
        Assert.Equal(2_400_000, result.Macs);
        Assert.Equal(4.2, result.LatencyMs);
        Assert.Null(result.LatencyBudgetMs);
        Assert.Equal(0.981, result.Accuracy);
        Assert.False(result.AccuracyIsAgreement);
        Assert.False(result.BudgetsMet);
        Assert.Equal("C2+W3", result.Techniques);
        Assert.Equal(new (string?, string, string?)[] { ("ADA4002", "budgets missed by 3%", null), (null, "plain note", null), ("ADA3001", "W2 skipped", null), ("ADA3006", "no data set given", "net.onnx") },
            result.Warnings.Select(ToolDiagnostic.ParseWarning).Select(w => (w.Code, w.Message, w.File)));
    }

    [Fact]
    public void An_absent_budgetsMet_means_met_and_a_wrong_type_is_a_format_error()
    {
        Assert.True(CompressResult.FromJson("""{"model": "a.onnx", "outputSha256": "ab"}""").BudgetsMet);
        Assert.Throws<FormatException>(() => CompressResult.FromJson("""{"model": "a.onnx", "outputSha256": "ab", "sizeBytes": "big"}"""));
        Assert.Throws<FormatException>(() => CompressResult.FromJson("""{"sizeBytes": 1}"""));
        Assert.Throws<FormatException>(() => CompressResult.FromJson("[1]"));
    }

    [Fact]
    public void Summary_line_shows_size_macs_latency_against_budget_accuracy_and_cache()
    {
        using var scratch = new TaskScratch();
        var plan = ModelPlan.Create(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")),
            PlanContext.Create(scratch.Project, "obj", null, null), scratch.Compress().Log)!;
        var result = CompressResult.FromJson("""{"model": "mlp.onnx", "outputSha256": "ab", "sizeBytes": 13000, "macs": 2400000, "latencyMs": 4.2, "latencyBudgetMs": 10, "accuracy": 0.981, "techniques": "C2+W3"}""");

        var line = CompressionSummary.Format(plan, result, 26500, ResultReporter.Hit, TimeSpan.FromSeconds(0.04));

        Assert.Equal("AdaDeep: mlp.onnx → sony-sw3: 25.9 KB → 12.7 KB, 2.40 M MACs, latency 4.2 ms (budget 10 ms), accuracy 0.9810, C2+W3 [cache hit, 0.0 s]", line);
    }

    [Fact]
    public void Summary_line_says_not_measured_for_agreement_on_meaningless_inputs()
    {
        using var scratch = new TaskScratch();
        var plan = ModelPlan.Create(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")),
            PlanContext.Create(scratch.Project, "obj", null, null), scratch.Compress().Log)!;
        var result = CompressResult.FromJson("""{"model": "mlp.onnx", "outputSha256": "ab", "sizeBytes": 13000, "macs": 2400000, "latencyMs": 4.2, "latencyBudgetMs": 10, "accuracy": 1.0, "accuracyIsAgreement": true, "validationMeaningful": false, "techniques": "Q8W"}""");

        var line = CompressionSummary.Format(plan, result, 26500, ResultReporter.Hit, TimeSpan.FromSeconds(0.04));

        Assert.Contains("accuracy not measured (no real data)", line);
        Assert.DoesNotContain("1.0000", line);
    }
    [Theory]
    [InlineData("cosine", "output cosine similarity to the original 0.9987 (min 0.9912; dense output 4x640x640 on 6 inputs, where top-1 agreement says nothing)")]
    [InlineData("not measured", "accuracy not measured (ADA3604: the original predicts class 0 for every input, so top-1 agreement says nothing)")]
    public void Summary_line_shows_the_engines_headline_where_a_percentage_means_nothing(string measure, string headline)
    {
        using var scratch = new TaskScratch();
        var plan = ModelPlan.Create(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")),
            PlanContext.Create(scratch.Project, "obj", null, null), scratch.Compress().Log)!;
        var result = CompressResult.FromJson($$"""{"model": "det.onnx", "outputSha256": "ab", "sizeBytes": 13000, "accuracy": 0.6667, "accuracyIsAgreement": true, "accuracyMeasure": "{{measure}}", "accuracyHeadline": "{{headline}}", "techniques": "Q8W"}""");

        var line = CompressionSummary.Format(plan, result, 26500, ResultReporter.Hit, TimeSpan.FromSeconds(0.04));

        Assert.Contains(", " + headline + ",", line);
        Assert.DoesNotContain("0.6667", line);
    }
}
