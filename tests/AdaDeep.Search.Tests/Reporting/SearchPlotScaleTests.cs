using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;
using ScottPlot;
using ScottPlot.Plottables;
using static AdaDeep.Search.Tests.Reporting.HandReports;

namespace AdaDeep.Search.Tests.Reporting;

/// <summary>
/// Issue 24 item 6: the candidate plot is scaled to the candidates, draws a budget line only where it falls in range
/// and notes it at the edge otherwise, and puts the best marker at its candidate's coordinates.
/// </summary>
public class SearchPlotScaleTests
{
    private static readonly SearchCandidate[] Candidates =
    {
        C("a", 0.2266, 0.2802), C("b", 0.918, 0.3036), C("best", 0.9258, 0.3234, reward: 1), C("c", 0.9922, 0.4256),
    };

    private static SearchReport With(SearchBudgets budgets) =>
        Report(budgets, C("none", 0.9922, 0.428), Candidates[2], Candidates, searchFloor: budgets.MinAccuracy - 0.05);

    [Fact]
    public void The_axes_hold_every_candidate_and_are_not_stretched_to_a_far_budget()
    {
        var report = With(new SearchBudgets { LatencyMs = 10, MinAccuracy = 0.973 });
        var plot = SearchPlot.CandidatePlot(report);
        var limits = plot.Axes.GetLimits();

        Assert.All(Candidates.Append(report.Original), c =>
            Assert.True(limits.Rect.Contains(c.Metrics.LatencyMs, c.Metrics.Accuracy), $"{c.Actions[0]} outside {limits}"));
        Assert.True(limits.Right < 0.5, $"x axis runs to {limits.Right} ms for candidates up to 0.43 ms");
    }

    [Fact]
    public void A_budget_out_of_range_is_noted_at_the_edge_not_drawn()
    {
        // Every candidate below 0.6 accuracy and under 0.5 ms: a 10 ms budget and a 0.973 floor lie beyond the axes.
        var low = new[] { C("a", 0.2, 0.28), C("best", 0.55, 0.32, reward: 1), C("c", 0.6, 0.43) };
        var report = Report(new SearchBudgets { LatencyMs = 10, MinAccuracy = 0.973 }, C("none", 0.58, 0.45), low[1], low);
        var plot = SearchPlot.CandidatePlot(report);
        var notes = plot.GetPlottables().OfType<Annotation>().Select(a => a.Text).ToArray();

        Assert.Empty(plot.GetPlottables().OfType<VerticalLine>());
        Assert.Empty(plot.GetPlottables().OfType<HorizontalLine>());
        Assert.Equal(new[] { "latency budget 10 ms →", "accuracy floor 0.973 ↑" }, notes);
        Assert.Contains("latency budget 10 ms →", SearchPlot.ToSvg(report));
    }

    [Fact]
    public void A_budget_in_range_is_a_line_at_its_value()
    {
        var report = With(new SearchBudgets { LatencyMs = 0.35, MinAccuracy = 0.95 });
        var plot = SearchPlot.CandidatePlot(report);

        Assert.Equal(0.35, Assert.Single(plot.GetPlottables().OfType<VerticalLine>()).X);
        Assert.Equal(new[] { 0.95, 0.9 }, plot.GetPlottables().OfType<HorizontalLine>().Select(h => Math.Round(h.Y, 9)));
        Assert.Empty(plot.GetPlottables().OfType<Annotation>());
    }

    [Fact]
    public void The_best_marker_sits_at_the_best_candidates_coordinates()
    {
        var report = With(new SearchBudgets { LatencyMs = 0.35, MinAccuracy = 0.95 });
        var best = SearchPlot.CandidatePlot(report).GetPlottables().OfType<Marker>().Single(m => m.LegendText == SearchPlot.BestLabel);

        Assert.Equal(report.Best.Metrics.LatencyMs, best.Location.X);
        Assert.Equal(report.Best.Metrics.Accuracy, best.Location.Y);
    }
}
