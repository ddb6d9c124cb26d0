using AdaDeep.Search.Core;

namespace AdaDeep.Search.Dqn;

/// <summary>
/// The DQN's model of the environment for planning (Dyna-Q, Sutton 1990): a configuration's metrics predicted as the
/// original's plus, for every decision point that chose a technique, the mean change that technique caused there in
/// the configurations measured so far (each measured step gives one sample: its metrics minus its prefix's). Layers
/// interact (pruning a layer shrinks the next one's input), so the prediction is only a guide; configurations already
/// measured are answered exactly, and every new measurement refines the means.
/// </summary>
public sealed class AdditiveSurrogate
{
    private readonly ConfigurationMetrics _original;
    private readonly Dictionary<(int Position, int Action), Delta> _deltas = new();
    private readonly Dictionary<string, ConfigurationMetrics> _measured = new(StringComparer.Ordinal);

    public AdditiveSurrogate(ConfigurationMetrics original)
    {
        _original = original ?? throw new ArgumentNullException(nameof(original));
    }

    /// <summary>Measured steps the model has learnt from.</summary>
    public int Samples { get; private set; }

    /// <summary>Learns from one measured step: <paramref name="configuration"/> ends with the action taken, whose
    /// prefix measured <paramref name="before"/> and the whole <paramref name="after"/>.</summary>
    public void Observe(IReadOnlyList<int> configuration, ConfigurationMetrics before, ConfigurationMetrics after)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _measured[SearchActions.Key(configuration)] = after;
        var position = configuration.Count - 1;
        if (position < 0 || configuration[position] == SearchActions.NoneIndex)
        {
            return;
        }

        var key = (position, configuration[position]);
        _deltas[key] = (_deltas.TryGetValue(key, out var d) ? d : Delta.Zero).Add(after, before);
        Samples++;
    }

    /// <summary>Whether the technique was ever measured at this decision point (planning only takes known steps).</summary>
    public bool Knows(int position, int action) => action == SearchActions.NoneIndex || _deltas.ContainsKey((position, action));

    public ConfigurationMetrics Predict(IReadOnlyList<int> configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (_measured.TryGetValue(SearchActions.Key(configuration), out var exact))
        {
            return exact;
        }

        double accuracy = _original.Accuracy, latency = _original.LatencyMs, storage = _original.StorageMB, energy = _original.EnergyMJ, macs = _original.Macs;
        for (var i = 0; i < configuration.Count; i++)
        {
            if (configuration[i] != SearchActions.NoneIndex && _deltas.TryGetValue((i, configuration[i]), out var d))
            {
                accuracy += d.Accuracy / d.Count;
                latency += d.LatencyMs / d.Count;
                storage += d.StorageMB / d.Count;
                energy += d.EnergyMJ / d.Count;
                macs += d.Macs / d.Count;
            }
        }

        // Sums of deltas can overshoot: keep every figure physical.
        return new ConfigurationMetrics(Math.Clamp(accuracy, 0, 1), Math.Max(latency, 1e-6), Math.Max(storage, 1e-9), Math.Max(energy, 0), (long)Math.Max(macs, 0));
    }

    /// <summary>Summed changes and their count (means are taken at prediction).</summary>
    private readonly record struct Delta(double Accuracy, double LatencyMs, double StorageMB, double EnergyMJ, double Macs, int Count)
    {
        public static Delta Zero => default;

        public Delta Add(ConfigurationMetrics after, ConfigurationMetrics before) => new(
            Accuracy + (after.Accuracy - before.Accuracy),
            LatencyMs + (after.LatencyMs - before.LatencyMs),
            StorageMB + (after.StorageMB - before.StorageMB),
            EnergyMJ + (after.EnergyMJ - before.EnergyMJ),
            Macs + (after.Macs - before.Macs),
            Count + 1);
    }
}
