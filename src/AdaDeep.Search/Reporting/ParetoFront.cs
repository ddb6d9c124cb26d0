using AdaDeep.Search.Core;

namespace AdaDeep.Search.Reporting;

/// <summary>
/// The accuracy–latency Pareto front of a set of candidates: those no other candidate beats on both (higher or equal
/// accuracy at lower or equal latency, one of them strictly). Returned in increasing latency; of identical points the
/// first seen is kept.
/// </summary>
public static class ParetoFront
{
    public static IReadOnlyList<SearchCandidate> AccuracyLatency(IEnumerable<SearchCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var ordered = candidates
            .Select((c, i) => (c, i))
            .OrderBy(x => x.c.Metrics.LatencyMs)
            .ThenByDescending(x => x.c.Metrics.Accuracy)
            .ThenBy(x => x.i)
            .Select(x => x.c);
        var front = new List<SearchCandidate>();
        var bestAccuracy = double.NegativeInfinity;
        foreach (var c in ordered)
        {
            if (c.Metrics.Accuracy > bestAccuracy)
            {
                front.Add(c);
                bestAccuracy = c.Metrics.Accuracy;
            }
        }

        return front;
    }
}
