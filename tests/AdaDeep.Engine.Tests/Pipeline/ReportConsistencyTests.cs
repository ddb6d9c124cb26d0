using System.Text.RegularExpressions;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>Issue 14.5: the report states one accuracy floor in every section (the search's slack is said apart).</summary>
public class ReportConsistencyTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public ReportConsistencyTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Report_StatesTheSameAccuracyFloorInTheResultAndTheSearchSections()
    {
        var folder = _fixture.NewFolder("floor");
        var request = _fixture.Request(folder) with { MaxAccuracyDrop = null, MinAccuracy = 0.9 };

        var result = new CompressPipeline().Run(request);

        var md = File.ReadAllText(request.ReportPath + ".md");
        var floors = Regex.Matches(md, @"accuracy\s*\|?\s*[^|\n]*?≥\s*([0-9.]+)").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.Equal(new[] { "0.9" }, floors);
        Assert.Equal(0.9, result.MinAccuracy);
        Assert.Contains("before fine-tuning, the search accepted candidates down to 0.85", md);

        // Issue 24 item 6: the header and the search section give one verdict, naming the estimate and the shipped model.
        var verdicts = Regex.Matches(md, "^Budgets — (.*)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2, verdicts.Length);
        Assert.Equal(verdicts[0], verdicts[1]);
        Assert.StartsWith("search estimate (before fine-tuning): ", verdicts[0]);
        Assert.Equal(result.BudgetsMet, verdicts[0].EndsWith("shipped model: **all budgets met**.", StringComparison.Ordinal));
    }
}
