using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Tests.Toy;

/// <summary>
/// A seeded LeNet-5-like problem shaped like the real one: decision points conv, conv, fc, fc, fc; "none" and nine
/// techniques (conv-only, fc-only and shared ones; L3 only on the first fc, after which the later fc layers can only
/// be "none"). Each (layer, technique) keeps a random fraction of the layer's storage and MACs and costs a random
/// accuracy drop; drops compound (A = A0 − d − 3d²), adjacent compressed layers interact (a random extra drop or
/// gain per pair), and a deterministic ±0.4 pt "measurement noise" per configuration stands in for the 256-sample
/// accuracy run. Loose latency and storage budgets, as for LeNet-5 on the xiaomi-redmi-3s, so the reward is mostly
/// accuracy and energy: near-separable, which is what makes greedy strong.
/// </summary>
public sealed class SyntheticLeNetEnvironment : SearchEnvironmentBase
{
    private const int L3 = 9;
    private static readonly string[] Ids = { SearchActions.None, "C1", "C2", "P1", "W1f", "W2", "W3", "Q8W", "Q8", "L3" };
    private static readonly bool[] OnConv = { true, true, true, true, false, false, true, true, true, false };
    private static readonly bool[] OnFc = { true, false, false, false, true, true, true, true, true, true };
    private static readonly double[] Storage = { 0.002, 0.05, 0.8, 0.1, 0.004 };
    private static readonly double[] Macs = { 0.3, 1.6, 0.05, 0.01, 0.001 };

    private readonly DecisionPoint[] _points = new DecisionPoint[5];
    private readonly double[,] _keepStorage = new double[5, Ids.Length];
    private readonly double[,] _keepMacs = new double[5, Ids.Length];
    private readonly double[,] _drop = new double[5, Ids.Length];
    private readonly double[,] _pair = new double[4, 5];
    private readonly int _seed;

    public SyntheticLeNetEnvironment(int seed)
    {
        _seed = seed;
        var r = new Random(seed);
        for (var i = 0; i < 5; i++)
        {
            var kind = i < 2 ? LayerKind.Conv : LayerKind.FullyConnected;
            var allowed = kind == LayerKind.Conv ? OnConv : OnFc;
            var legal = Enumerable.Range(0, Ids.Length).Where(a => allowed[a] && (a != L3 || i == 2)).ToArray();
            _points[i] = new DecisionPoint("layer" + i, new LayerFeatures(kind, (long)(Storage[i] * 250_000), (long)(Macs[i] * 1e6), 1 + i * 20, 6 + i * 30), legal);
            for (var a = 1; a < Ids.Length; a++)
            {
                _keepStorage[i, a] = 0.1 + 0.8 * r.NextDouble();
                _keepMacs[i, a] = Ids[a] is "Q8W" or "W3" ? 1.0 : 0.2 + 0.9 * r.NextDouble();
                _drop[i, a] = Math.Max(0, 0.02 * (r.NextDouble() * 2 - 0.4)) * (kind == LayerKind.Conv ? 2 : 1);
            }

            (_drop[i, L3], _keepStorage[i, L3], _keepMacs[i, L3]) = (0.03 * r.NextDouble(), 0.05, 0.05);
        }

        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 5; j++)
            {
                _pair[i, j] = 0.012 * (r.NextDouble() - 0.3);
            }
        }

        var budgets = new SearchBudgets { LatencyMs = 10, StorageMB = 2, MinAccuracy = 0.96 };
        SetReward(new RewardFunction(new RewardWeights(0.4, 0.6, 0.125, 0.875), MetricsOf(Array.Empty<int>()), budgets));
    }

    public override IReadOnlyList<DecisionPoint> DecisionPoints => _points;

    public override IReadOnlyList<string> Actions => Ids;

    protected override IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix) =>
        position > 2 && prefix[2] == L3 ? new[] { SearchActions.NoneIndex } : _points[position].CandidateActions;

    protected override ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration) => MetricsOf(canonicalConfiguration);

    private ConfigurationMetrics MetricsOf(IReadOnlyList<int> c)
    {
        double storage = 0, macs = 0, drop = 0;
        var headReplaced = c.Count > 2 && c[2] == L3;
        for (var i = 0; i < 5; i++)
        {
            if (i > 2 && headReplaced)
            {
                continue;
            }

            var a = i < c.Count ? c[i] : 0;
            storage += Storage[i] * (a == 0 ? 1 : _keepStorage[i, a]);
            macs += Macs[i] * (a == 0 ? 1 : _keepMacs[i, a]);
            drop += a == 0 ? 0 : _drop[i, a];
        }

        for (var i = 0; i + 1 < Math.Min(c.Count, 5); i++)
        {
            if (c[i] != 0 && c[i + 1] != 0)
            {
                drop += _pair[i, (c[i] * 7 + c[i + 1]) % 5];
            }
        }

        var accuracy = 0.985 - drop - 3 * drop * drop + (c.Count == 0 ? 0 : Noise(c));
        return new ConfigurationMetrics(accuracy, 0.1 + macs * 0.05, storage, macs * 0.0528 + storage * 0.05, (long)(macs * 1e6));
    }

    /// <summary>Deterministic in [−0.004, 0.004] per configuration (FNV-1a over the seed and the canonical key).</summary>
    private double Noise(IReadOnlyList<int> configuration)
    {
        var hash = 2166136261u;
        foreach (var ch in _seed + ":" + SearchActions.Key(configuration))
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return ((hash & 0xffff) / 65535.0 - 0.5) * 0.008;
    }
}
