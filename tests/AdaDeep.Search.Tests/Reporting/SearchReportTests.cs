using System.Text.Json;
using System.Xml.Linq;
using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Reporting;

public class SearchReportTests
{
    private static SearchReport GreedyReport()
    {
        var env = new TrapEnvironment();
        var result = new GreedyStrategy().Search(env, SearchOptions.Default with { Clock = new ManualClock() }, null, CancellationToken.None);
        return SearchReport.Create(result, env, "trap.onnx", "toy-device");
    }

    private static SearchReport RandomReport(int episodes = 40)
    {
        var env = new TrapEnvironment();
        var result = new RandomStrategy().Search(env, SearchOptions.Default with { Seed = 4, Episodes = episodes, Clock = new ManualClock() }, null, CancellationToken.None);
        return SearchReport.Create(result, env, "trap.onnx", "toy-device");
    }

    [Fact]
    public void DqnEpisodeCounts_AddUp_AndMatchWhatTheProgressCounted()
    {
        var env = new TrapEnvironment();
        var dqn = new AdaDeep.Search.Dqn.DqnStrategy();
        var result = dqn.Search(env, SearchOptions.Default with { Seed = 3, Episodes = 12, Clock = new ManualClock() }, null, CancellationToken.None);
        var report = SearchReport.Create(result, env, "trap.onnx", "toy-device") with
        {
            MeasuringEpisodes = dqn.MeasuringEpisodes,
            WarmStartSweeps = dqn.WarmStartSweeps,
        };

        var agentMeasuring = dqn.MeasuringEpisodes - dqn.WarmStartSweeps;
        Assert.True(dqn.WarmStartSweeps > 0);
        Assert.True(agentMeasuring <= report.Episodes);
        Assert.Contains($"{dqn.WarmStartSweeps} greedy warm-start sweeps, then {report.Episodes} agent episodes ({agentMeasuring} measuring a new candidate): {dqn.MeasuringEpisodes} measured", report.ToMarkdown());
    }

    [Fact]
    public void Json_HasEveryFigure()
    {
        var report = GreedyReport();
        using var doc = JsonDocument.Parse(report.ToJson());
        var root = doc.RootElement;
        Assert.Equal("greedy", root.GetProperty("optimizer").GetString());
        Assert.Equal(42, root.GetProperty("seed").GetInt32());
        Assert.Equal(4, root.GetProperty("layers").GetArrayLength());
        Assert.Equal("fast", root.GetProperty("layers")[0].GetProperty("technique").GetString());
        Assert.Equal("Conv", root.GetProperty("layers")[0].GetProperty("kind").GetString());
        Assert.Equal(12, root.GetProperty("budgets").GetProperty("latencyMs").GetDouble());
        Assert.Equal(20, root.GetProperty("original").GetProperty("metrics").GetProperty("latencyMs").GetDouble());
        Assert.Equal(11.5, root.GetProperty("best").GetProperty("metrics").GetProperty("latencyMs").GetDouble(), 9);
        var storage = root.GetProperty("budgetChecks").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "storageMB");
        Assert.False(storage.GetProperty("met").GetBoolean());
        Assert.Equal(0.5, storage.GetProperty("miss").GetDouble(), 9); // 8.5 MB against 8 MB
        Assert.Equal(report.CandidatesSeen, root.GetProperty("candidates").GetArrayLength());
        Assert.True(root.GetProperty("paretoFront").GetArrayLength() >= 1);
        Assert.Equal(5, root.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public void Markdown_HasTheChoicesBeforeAfterAndBudgets()
    {
        var md = GreedyReport().ToMarkdown();
        Assert.Contains("| 1 | conv1 | Conv | fast |", md);
        Assert.Contains("| latencyMs | 20 | 11.5 | 1.74× smaller |", md);
        Assert.Contains("| storage budget | ≤ 8 | 8.5 | missed by 0.5 (6.3%) |", md);
        Assert.Contains("| latency budget | ≤ 12 | 11.5 | met |", md);
        Assert.Contains("| energyMJ | 10 | 10 | unchanged |", md);
        Assert.Contains("Budgets — search estimate (before fine-tuning): **storage budget missed by 0.5 MB (6.3 %)**.", md);
        Assert.Contains("Pareto front", md);
    }

    [Fact]
    public void Svg_IsOneDocumentWithBothPanels_AndIsRepeatable()
    {
        var report = RandomReport();
        var svg = SearchPlot.ToSvg(report, 1000, 400);
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        Assert.Equal(2, doc.Root.Elements(ns + "svg").Count());
        Assert.Contains("reward per episode", svg);
        Assert.Contains("Pareto front", svg);
        Assert.Equal(svg, SearchPlot.ToSvg(RandomReport(), 1000, 400));
    }

    [Fact]
    public void Save_WritesTheSvg()
    {
        var path = Path.Combine(Path.GetTempPath(), $"adadeep-search-{Guid.NewGuid():N}.svg");
        try
        {
            SearchPlot.Save(RandomReport(10), path);
            Assert.StartsWith("<svg", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
