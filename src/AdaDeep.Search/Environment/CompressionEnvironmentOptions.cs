using AdaDeep.Compression.Techniques;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Environment;

/// <summary>How <see cref="CompressionEnvironment"/> builds and measures candidates.</summary>
public sealed record CompressionEnvironmentOptions
{
    public static CompressionEnvironmentOptions Default { get; } = new();

    /// <summary>
    /// Techniques the agent may pick; null: the paper's ten (section 5.2.1) plus int8 weights (Q8W) and channel
    /// pruning (P1). QDQ (Q8) needs calibration batches and BN folding is lossless, so the pipeline applies BN
    /// folding itself rather than as a choice.
    /// </summary>
    public IReadOnlyList<string>? TechniqueIds { get; init; }

    /// <summary>
    /// Technique parameters. W3 uses a target sparsity of 0.8 here: the paper's |w| &lt; 0.001 threshold removes
    /// almost nothing from small trained models (mnist-8: see docs/techniques.md), so W3 would never save a byte.
    /// </summary>
    public TechniqueOptions Techniques { get; init; } = TechniqueOptions.Default with { PruneSparsity = 0.8f };

    /// <summary>Reward weights μ1–μ4; null: derived from the device (paper 5.3.3).</summary>
    public RewardCoefficients? Coefficients { get; init; }

    /// <summary>Measure storage on the packed model (what ships) rather than on the dense rewrite.</summary>
    public bool MeasurePackedStorage { get; init; } = true;

    /// <summary>
    /// Data for a short distillation of each distinct candidate before its accuracy is measured (the paper retrains
    /// every compressed network; a rewrite measured untrained looks far worse than it ends up). Null: no fine-tuning
    /// in the loop, accuracy is measured on the rewrite as it is.
    /// </summary>
    public AdaDeep.Compression.Data.Dataset? QuickFineTuneData { get; init; }

    /// <summary>Wall-clock budget of each candidate's quick fine-tune (one pass at most over <see cref="QuickFineTuneData"/>).</summary>
    public TimeSpan QuickFineTuneBudget { get; init; } = TimeSpan.FromSeconds(1);

    public int Seed { get; init; } = 1;

    public static IReadOnlyList<string> DefaultTechniqueIds { get; } =
        new[] { "W1f", "W1c", "W2", "W3", "C1", "C2", "C3", "L1", "L2", "L3", "Q8W", "P1" };
}
