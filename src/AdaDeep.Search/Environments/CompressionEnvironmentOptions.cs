using AdaDeep.Compression.Techniques;
using AdaDeep.Devices.Costs;

namespace AdaDeep.Search.Environments;

/// <summary>Settings of a <see cref="CompressionEnvironment"/>. Immutable; defaults suit a build-time search.</summary>
public sealed record CompressionEnvironmentOptions
{
    public static CompressionEnvironmentOptions Default { get; } = new();

    /// <summary>
    /// The paper's ten (section 5.2.1) plus int8 weights (Q8W) and channel pruning (P1). QDQ (Q8) needs calibration and
    /// BN folding is lossless (the pipeline applies it itself); both can still be listed in <see cref="Techniques"/>.
    /// </summary>
    public static IReadOnlyList<string> DefaultTechniqueIds { get; } =
        new[] { "W1f", "W1c", "W2", "W3", "C1", "C2", "C3", "L1", "L2", "L3", "Q8W", "P1" };

    /// <summary>Technique ids the agent may choose (null: <see cref="DefaultTechniqueIds"/>); any order, actions follow the registry's.</summary>
    public IReadOnlyList<string>? Techniques { get; init; }

    /// <summary>
    /// Technique parameters. W3 prunes to a target sparsity of 0.8 here: the paper's |w| &lt; 0.001 threshold removes
    /// almost nothing from small trained models (see docs/techniques.md), so W3 would never save a byte. Q8's
    /// calibration is taken from the validation batch when unset. Each rewrite gets Seed + its decision depth.
    /// </summary>
    public TechniqueOptions TechniqueOptions { get; init; } = TechniqueOptions.Default with { PruneSparsity = 0.8f };

    /// <summary>Measure storage (S_p) on the packed model, i.e. the bytes that ship, rather than on the dense rewrite.</summary>
    public bool MeasurePackedStorage { get; init; } = true;

    /// <summary>Samples of the validation set used to measure each candidate's accuracy (a seeded random subset).</summary>
    public int ValidationSamples { get; init; } = 256;

    /// <summary>Samples of the validation batch passed to Q8 as calibration data when none is given.</summary>
    public int CalibrationSamples { get; init; } = 32;

    /// <summary>Seeds the choice of the validation subset and the quick fine-tunes.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Data for a short distillation of each distinct candidate before its accuracy is measured (the paper retrains
    /// every compressed network; a rewrite measured untrained looks far worse than it ends up). Null (default): no
    /// fine-tuning in the loop, accuracy is measured on the rewrite as it is.
    /// </summary>
    public AdaDeep.Compression.Data.Dataset? QuickFineTuneData { get; init; }

    /// <summary>
    /// Wall-clock limit of each candidate's quick fine-tune (one pass at most over <see cref="QuickFineTuneData"/>).
    /// A limit that cuts the pass short makes the measured accuracy depend on the machine's speed; null: the whole pass.
    /// </summary>
    public TimeSpan? QuickFineTuneBudget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>μ1..μ4 (null: <see cref="RewardWeights.ForDevice"/> of the device).</summary>
    public RewardWeights? Weights { get; init; }

    /// <summary>Subtracted from R2 when a latency or storage budget is exceeded (see RewardFunction).</summary>
    public double OverBudgetPenalty { get; init; } = 1.0;

    /// <summary>Rewritten models kept in memory (least recently used evicted; they are rebuilt from their prefix when needed).</summary>
    public int ModelCacheSize { get; init; } = 64;
}
