using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Tests.Toy;

/// <summary>
/// 4 decision points × 3 actions (none, "fast", "enabler") whose unique optimum is enabler on every layer, and
/// where greedy is misled by a myopic trap.
/// Original: A = 0.9, T = 20 ms, S = 10 MB, E = 10 mJ; budgets T ≤ 12, S ≤ 8, A ≥ 0.85.
/// Layer 0: fast saves 4 ms at once (A −0.005); enabler saves nothing now and costs energy (+2 mJ, A −0.005).
/// Layers 1–3: fast saves 1.5 ms and 0.5 MB (A −0.005); enabler saves 3 ms, 1 MB and 2 mJ (A −0.002) when layer 0
/// took enabler, otherwise only 0.5 ms at an accuracy cost of 0.02.
/// Greedy takes fast at layer 0 (largest immediate reward) and ends over the storage budget; the best
/// configuration (enabler ×4: T = 11, S = 7, E = 6, A = 0.889) meets every budget.
/// </summary>
public sealed class TrapEnvironment : SearchEnvironmentBase
{
    public const int Fast = 1;
    public const int Enabler = 2;

    private static readonly string[] ActionIds = { SearchActions.None, "fast", "enabler" };

    private readonly DecisionPoint[] _points;

    public TrapEnvironment(RewardWeights? coefficients = null)
    {
        _points = new[]
        {
            new DecisionPoint("conv1", new LayerFeatures(LayerKind.Conv, 320, 180_000, 1, 32), new[] { 0, 1, 2 }),
            new DecisionPoint("conv2", new LayerFeatures(LayerKind.Conv, 18_496, 2_000_000, 32, 64), new[] { 0, 1, 2 }),
            new DecisionPoint("fc1", new LayerFeatures(LayerKind.FullyConnected, 401_536, 401_408, 3136, 128), new[] { 0, 1, 2 }),
            new DecisionPoint("fc2", new LayerFeatures(LayerKind.FullyConnected, 1_290, 1_280, 128, 10), new[] { 0, 1, 2 }),
        };
        var budgets = new SearchBudgets { LatencyMs = 12, StorageMB = 8, MinAccuracy = 0.85 };
        SetReward(new RewardFunction(coefficients ?? RewardWeights.Default, MetricsOf(Array.Empty<int>()), budgets));
    }

    public static int[] Optimum { get; } = { Enabler, Enabler, Enabler, Enabler };

    public override IReadOnlyList<DecisionPoint> DecisionPoints => _points;

    public override IReadOnlyList<string> Actions => ActionIds;

    /// <summary>Measured configurations, to check caching.</summary>
    public int MeasureCalls { get; private set; }

    public static ConfigurationMetrics MetricsOf(IReadOnlyList<int> c)
    {
        double t = 20, s = 10, e = 10, a = 0.9;
        var first = c.Count > 0 ? c[0] : 0;
        if (first == Fast)
        {
            t -= 4;
            a -= 0.005;
        }
        else if (first == Enabler)
        {
            e += 2;
            a -= 0.005;
        }

        for (var i = 1; i < c.Count; i++)
        {
            if (c[i] == Fast)
            {
                t -= 1.5;
                s -= 0.5;
                a -= 0.005;
            }
            else if (c[i] == Enabler && first == Enabler)
            {
                t -= 3;
                s -= 1;
                e -= 2;
                a -= 0.002;
            }
            else if (c[i] == Enabler)
            {
                t -= 0.5;
                a -= 0.02;
            }
        }

        return new ConfigurationMetrics(a, t, s, e, (long)(t * 1000));
    }

    protected override IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix) => _points[position].CandidateActions;

    protected override ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration)
    {
        MeasureCalls++;
        return MetricsOf(canonicalConfiguration);
    }
}
