using AdaDeep.Compression.Techniques;
using AdaDeep.Devices.Costs;

namespace AdaDeep.Search.Environments;

/// <summary>Settings of a <see cref="CompressionEnvironment"/>. Immutable; defaults suit a build-time search.</summary>
public sealed record CompressionEnvironmentOptions
{
    public static CompressionEnvironmentOptions Default { get; } = new();

    /// <summary>Technique ids the agent may choose (null: every technique in <see cref="TechniqueRegistry.All"/>).</summary>
    public IReadOnlyList<string>? Techniques { get; init; }

    /// <summary>Technique parameters (paper defaults). Q8's calibration is taken from the validation batch when unset.</summary>
    public TechniqueOptions TechniqueOptions { get; init; } = TechniqueOptions.Default;

    /// <summary>Samples of the validation set used to measure each candidate's accuracy (a seeded random subset).</summary>
    public int ValidationSamples { get; init; } = 256;

    /// <summary>
    /// More held-out samples for candidates whose accuracy is close to the floor (<see cref="PairedSequentialAccuracy"/>):
    /// spent in blocks of <see cref="ValidationSamples"/>, the same blocks in the same order for every candidate. Null:
    /// every candidate is measured on the validation batch only.
    /// </summary>
    public AdaDeep.Compression.Data.Dataset? ExtraValidation { get; init; }

    /// <summary>Blocks a close candidate may be measured on, the first validation batch included.</summary>
    public int SequentialBlocks { get; init; } = 4;

    /// <summary>
    /// The original model's accuracy where it is known better than on the batch (the pipeline's whole held-out split):
    /// candidates' estimates are this plus their paired difference from the original. Null: its accuracy on the batch.
    /// </summary>
    public double? ReferenceAccuracy { get; init; }

    /// <summary>Samples of the validation batch passed to Q8 as calibration data when none is given.</summary>
    public int CalibrationSamples { get; init; } = 32;

    /// <summary>Seeds the choice of the validation subset.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>μ1..μ4 (null: <see cref="RewardWeights.ForDevice"/> of the device).</summary>
    public RewardWeights? Weights { get; init; }

    /// <summary>Subtracted from R2 when a latency or storage budget is exceeded (see RewardFunction).</summary>
    public double OverBudgetPenalty { get; init; } = 1.0;

    /// <summary>
    /// Data for a short distillation of each distinct candidate before its accuracy is measured (the paper retrains
    /// every compressed network; a rewrite measured untrained looks far worse than it ends up). Null: no fine-tuning
    /// inside the search, accuracy is measured on the rewrite as it is.
    /// </summary>
    public AdaDeep.Compression.Data.Dataset? QuickFineTuneData { get; init; }

    /// <summary>
    /// Safety cap on each candidate's quick fine-tune, which is one pass over <see cref="QuickFineTuneData"/>. A cap that
    /// cuts the pass short makes the measured accuracy depend on the machine's speed; null: no cap (byte-identical runs).
    /// </summary>
    public TimeSpan? QuickFineTuneBudget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Measure storage as the packed model's file bytes (what ships and what the pipeline's storage budget judges)
    /// rather than as the dense rewrite's weights S_p.</summary>
    public bool MeasurePackedStorage { get; init; } = true;

    /// <summary>
    /// Shared weights (k-means codebooks) for every layer once the configuration's rewrites are done, as Deep
    /// Compression's second stage (null: none). Candidates are measured with it, so the storage the search sees is
    /// what ships.
    /// </summary>
    public WeightSharingOptions? WeightSharing { get; init; }

    /// <summary>
    /// int8 weights (Q8W) on every Conv, fc and recurrent layer still in float once the configuration's techniques are
    /// applied (with <see cref="WeightSharing"/> set: on the recurrent layers only, which codebooks do not cover): int8 becomes the storage baseline and the search decides
    /// the structure (pruning, factorisation) on top, so a pruned layer ships int8 as well. Candidates are measured
    /// with it, as with shared weights.
    /// </summary>
    public bool QuantizeRemaining { get; init; }

    /// <summary>
    /// Above this many decision points the layers are decided by stage (<see cref="LayerGrouping"/>): choosing a technique
    /// for a stage applies it to every layer of the stage it fits. Below it (LeNet-class nets) every layer is its own decision.
    /// </summary>
    public int GroupLayersAbove { get; init; } = 12;

    /// <summary>Stages a grouped search decides (<see cref="GroupLayersAbove"/>).</summary>
    public int StageCount { get; init; } = 8;

    /// <summary>Rewritten models kept in memory (least recently used evicted; they are rebuilt from their prefix when needed).</summary>
    public int ModelCacheSize { get; init; } = 64;
}
