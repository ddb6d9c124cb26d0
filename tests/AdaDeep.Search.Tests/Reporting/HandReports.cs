using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;
using AdaDeep.Search.Reporting;

namespace AdaDeep.Search.Tests.Reporting;

/// <summary>Search reports built from candidates written by hand, for tests of what the report says about them.</summary>
internal static class HandReports
{
    public static SearchCandidate C(string id, double accuracy, double latencyMs, double reward = 0) =>
        new(new[] { id }, new ConfigurationMetrics(accuracy, latencyMs, 0.01, 0.02, 1000), reward, 0, true, 0);

    public static SearchReport Report(
        SearchBudgets budgets, SearchCandidate original, SearchCandidate best, IReadOnlyList<SearchCandidate> candidates,
        double? searchFloor = null, IReadOnlyList<BudgetStatus>? shipped = null) =>
        new SearchReport(
            "model.onnx", "sony-sw3", "dqn", 1, 1.0, candidates.Count, candidates.Count, false, "accuracy", budgets,
            new[] { new LayerChoice("conv1", "Conv", best.Actions[0]) },
            original, best, MetricChange.Between(original.Metrics, best.Metrics), budgets.Check(best.Metrics),
            ParetoFront.AccuracyLatency(candidates.Prepend(original)), candidates, candidates.Select(c => c.Reward).ToArray(),
            Array.Empty<RejectedRewrite>())
        {
            SearchAccuracyFloor = searchFloor,
            ShippedBudgetChecks = shipped,
        };
}
