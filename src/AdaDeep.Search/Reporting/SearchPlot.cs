using System.Globalization;
using System.Text.RegularExpressions;
using AdaDeep.Search.Core;
using ScottPlot;

namespace AdaDeep.Search.Reporting;

/// <summary>
/// The search plot, drawn with ScottPlot 5 and exported as SVG (Plot.GetSvgXml): on the left the reward
/// (R1 + R2 of the episode's final configuration) per episode; on the right every candidate seen as accuracy against
/// latency (search estimates, before fine-tuning) — grey when it misses a budget, gold when it misses only the accuracy
/// floor and by no more than the search's slack, blue when it meets them all (<see cref="BudgetVerdict"/>, as the Pareto
/// table says) — with the accuracy–latency Pareto front in red, the original model and the best configuration marked at
/// their coordinates, and the axes scaled to those points (<see cref="PlotScale"/>): the latency budget, the accuracy
/// floor and the search's floor are dashed lines where they fall in range, else a note with an arrow at the edge they
/// lie beyond. The two panels are placed side by side in one SVG document.
/// </summary>
public static partial class SearchPlot
{
    public const int DefaultWidth = 1200;
    public const int DefaultHeight = 450;

    public static string ToSvg(SearchReport report, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(report);
        var half = width / 2;
        var left = StableIds(Inner(RewardPlot(report).GetSvgXml(half, height)), "reward");
        var right = StableIds(Inner(CandidatePlot(report).GetSvgXml(width - half, height)), "candidates");
        var w = width.ToString(CultureInfo.InvariantCulture);
        var h = height.ToString(CultureInfo.InvariantCulture);
        var l = half.ToString(CultureInfo.InvariantCulture);
        var r = (width - half).ToString(CultureInfo.InvariantCulture);
        return $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n" +
               $"<svg x=\"0\" y=\"0\" width=\"{l}\" height=\"{h}\">{left}</svg>\n" +
               $"<svg x=\"{l}\" y=\"0\" width=\"{r}\" height=\"{h}\">{right}</svg>\n" +
               "</svg>\n";
    }

    public static void Save(SearchReport report, string path, int width = DefaultWidth, int height = DefaultHeight) =>
        File.WriteAllText(path, ToSvg(report, width, height));

    public static Plot RewardPlot(SearchReport report)
    {
        var plot = new Plot();
        var rewards = report.EpisodeRewards;
        if (rewards.Count > 0)
        {
            var xs = Enumerable.Range(1, rewards.Count).Select(i => (double)i).ToArray();
            var line = plot.Add.Scatter(xs, rewards.ToArray());
            line.LegendText = "reward of the episode's configuration";
            line.MarkerSize = rewards.Count > 100 ? 0 : 4;
            line.Color = Colors.SteelBlue;
            var best = BestSoFar(rewards);
            var bestLine = plot.Add.Scatter(xs, best);
            bestLine.LegendText = "best so far";
            bestLine.MarkerSize = 0;
            bestLine.Color = Colors.OrangeRed;
        }

        plot.Title($"{report.Optimizer}: reward per episode");
        plot.XLabel("episode");
        plot.YLabel("R1 + R2");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    public static Plot CandidatePlot(SearchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var inv = CultureInfo.InvariantCulture;

        // Coloured by the same standing the Pareto table prints, so plot and table cannot disagree.
        var standing = report.Candidates.ToLookup(report.StandingOf);
        AddPoints(plot, standing[CandidateStanding.MissesBudgets], Colors.Gray.WithAlpha(0.6), 5, "misses a budget");
        AddPoints(plot, standing[CandidateStanding.WithinSearchFloor], Colors.Gold, 6,
            string.Format(inv, "misses the floor, above the search's {0:0.####}", report.SearchAccuracyFloor));
        AddPoints(plot, standing[CandidateStanding.MeetsBudgets], Colors.SteelBlue, 6, "meets the budgets");
        if (report.ParetoFront.Count > 0)
        {
            var front = plot.Add.Scatter(
                report.ParetoFront.Select(c => c.Metrics.LatencyMs).ToArray(),
                report.ParetoFront.Select(c => c.Metrics.Accuracy).ToArray());
            front.Color = Colors.Red;
            front.MarkerSize = 8;
            front.LineWidth = 2;
            front.LegendText = "Pareto front";
        }

        var original = plot.Add.Marker(report.Original.Metrics.LatencyMs, report.Original.Metrics.Accuracy, MarkerShape.FilledSquare, 10, Colors.Black);
        original.LegendText = "original";
        var best = plot.Add.Marker(report.Best.Metrics.LatencyMs, report.Best.Metrics.Accuracy, MarkerShape.FilledDiamond, 14, Colors.Green);
        best.LegendText = BestLabel;

        // Limits from the points alone; a budget outside them is written at the edge it lies beyond, not drawn.
        var scale = CandidateScale(report);
        plot.Axes.SetLimits(scale.XMin, scale.XMax, scale.YMin, scale.YMax);
        if (report.Budgets.LatencyMs is { } t)
        {
            var label = string.Format(inv, "latency budget {0:0.####} ms", t);
            switch (scale.SideOfX(t))
            {
                case RangeSide.Inside:
                    plot.Add.VerticalLine(t, 1, Colors.DarkOrange, LinePattern.Dashed).LegendText = label;
                    break;
                case RangeSide.Above:
                    plot.Add.Annotation(label + " →", Alignment.MiddleRight);
                    break;
                default:
                    plot.Add.Annotation("← " + label, Alignment.MiddleLeft);
                    break;
            }
        }

        if (report.Budgets.MinAccuracy is { } a)
        {
            AccuracyLine(plot, scale, a, string.Format(inv, "accuracy floor {0:0.####}", a), Colors.Purple, Alignment.UpperCenter, Alignment.LowerLeft);
        }

        if (report.SearchAccuracyFloor is { } floor && floor != report.Budgets.MinAccuracy)
        {
            AccuracyLine(plot, scale, floor, string.Format(inv, "search's floor before fine-tuning {0:0.####}", floor), Colors.Gold, Alignment.UpperLeft, Alignment.LowerCenter);
        }

        plot.Title("candidates seen: search estimates, before fine-tuning");
        plot.XLabel("latency T (ms)");
        plot.YLabel(report.AccuracyMetric == "agreement" ? "agreement with the original" : "accuracy");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>The legend text of the best configuration's marker.</summary>
    public const string BestLabel = "best (search estimate)";

    /// <summary>The candidate plot's limits: every candidate, the original and the best, with a margin.</summary>
    public static PlotScale CandidateScale(SearchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return PlotScale.Of(report.Candidates.Append(report.Original).Append(report.Best)
            .Select(c => (c.Metrics.LatencyMs, c.Metrics.Accuracy)));
    }

    private static void AccuracyLine(Plot plot, PlotScale scale, double accuracy, string label, Color color, Alignment above, Alignment below)
    {
        switch (scale.SideOfY(accuracy))
        {
            case RangeSide.Inside:
                plot.Add.HorizontalLine(accuracy, 1, color, LinePattern.Dashed).LegendText = label;
                break;
            case RangeSide.Above:
                plot.Add.Annotation(label + " ↑", above);
                break;
            default:
                plot.Add.Annotation(label + " ↓", below);
                break;
        }
    }

    private static void AddPoints(Plot plot, IEnumerable<SearchCandidate> candidates, Color color, float size, string label)
    {
        var list = candidates.ToArray();
        if (list.Length == 0)
        {
            return;
        }

        var points = plot.Add.ScatterPoints(list.Select(c => c.Metrics.LatencyMs).ToArray(), list.Select(c => c.Metrics.Accuracy).ToArray());
        points.Color = color;
        points.MarkerSize = size;
        points.LegendText = label;
    }

    private static double[] BestSoFar(IReadOnlyList<double> values)
    {
        var result = new double[values.Count];
        var best = double.NegativeInfinity;
        for (var i = 0; i < values.Count; i++)
        {
            best = Math.Max(best, values[i]);
            result[i] = best;
        }

        return result;
    }

    /// <summary>The content of an SVG document without its XML declaration and outer &lt;svg&gt; element.</summary>
    private static string Inner(string svg)
    {
        var open = OuterOpen().Match(svg);
        var close = svg.LastIndexOf("</svg>", StringComparison.Ordinal);
        return open.Success && close > open.Index ? svg[(open.Index + open.Length)..close] : svg;
    }

    /// <summary>
    /// Skia numbers clip paths with a process-wide counter (cl_10 in one call, cl_1d in the next): renumber them per
    /// panel in order of appearance so the same report gives the same bytes and the two panels never share an id.
    /// </summary>
    private static string StableIds(string svg, string panel)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            var id = m.Groups["id"].Value;
            if (!ids.TryGetValue(id, out var stable))
            {
                stable = string.Create(CultureInfo.InvariantCulture, $"{panel}_clip{ids.Count}");
                ids[id] = stable;
            }

            return m.Groups["pre"].Value + stable;
        });
    }

    [GeneratedRegex("<svg[^>]*>")]
    private static partial Regex OuterOpen();

    [GeneratedRegex("(?<pre>id=\"|url\\(#)(?<id>cl_[0-9a-fA-F]+)")]
    private static partial Regex ClipId();
}
