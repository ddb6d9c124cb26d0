namespace AdaDeep.Build.Tasks.Tests;

public class ToolResultTests
{
    [Fact]
    public void Reads_every_field_of_the_contract()
    {
        var result = ToolResult.Parse("""
            {"model": "net.onnx", "outputSha256": "ab12", "sizeBytes": 27000, "macs": 2400000, "latencyMs": 4.2,
             "latencyBudgetMs": null, "energyMJ": 0.13, "accuracy": 0.981, "accuracyIsAgreement": false, "budgetsMet": false,
             "techniques": "C2+W3", "warnings": ["ADA4002: budgets missed by 3%", "plain note", {"code": "ADA3001", "message": "W2 skipped"}],
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
        Assert.Equal(new (string?, string)[] { ("ADA4002", "budgets missed by 3%"), (null, "plain note"), ("ADA3001", "W2 skipped") }, result.Warnings);
    }

    [Fact]
    public void Summary_line_shows_size_macs_latency_against_budget_accuracy_and_cache()
    {
        using var scratch = new TaskScratch();
        var plan = ModelPlan.Create(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")),
            PlanContext.Create(scratch.Project, "obj", null, null), scratch.Compress().Log)!;
        var result = ToolResult.Parse("""{"sizeBytes": 13000, "macs": 2400000, "latencyMs": 4.2, "latencyBudgetMs": 10, "accuracy": 0.981, "techniques": "C2+W3"}""");

        var line = CompressionSummary.Format(plan, result, 26500, cacheHit: true, TimeSpan.FromSeconds(0.04));

        Assert.Equal("AdaDeep: mlp.onnx → sony-sw3: 25.9 KB → 12.7 KB, 2.40 M MACs, latency 4.2 ms (budget 10 ms), accuracy 0.9810, C2+W3 [cache hit, 0.0 s]", line);
    }
}
