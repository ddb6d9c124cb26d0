namespace AdaDeep.Compression.Techniques;

/// <summary>Technique parameters; defaults are the paper's (section 5.2.1) where it gives one.</summary>
public sealed record TechniqueOptions
{
    public static TechniqueOptions Default { get; } = new();

    /// <summary>W1f/W1c: rank k = max(1, m / RankDivisor), m = output neurons or channels (paper: 12).</summary>
    public int SvdRankDivisor { get; init; } = 12;

    /// <summary>W2: dictionary size k = max(1, m / DictionaryDivisor) (paper: 6).</summary>
    public int SparseCodingDivisor { get; init; } = 6;

    /// <summary>W2: fraction of the k atoms each input column may use (non-zeros per code column = ⌈density·k⌉).</summary>
    public float SparseCodeDensity { get; init; } = 0.25f;

    /// <summary>W2: rounds of code / dictionary updates after the SVD start.</summary>
    public int SparseCodingIterations { get; init; } = 10;

    /// <summary>W3: weights with |w| below this are pruned (paper: 0.001).</summary>
    public float PruneThreshold { get; init; } = 0.001f;

    /// <summary>
    /// W3: when set, prune the smallest fraction p of the weights instead of using <see cref="PruneThreshold"/>
    /// (the paper's 0.001 removes almost nothing from small trained nets). Range [0, 1).
    /// </summary>
    public float? PruneSparsity { get; init; }

    /// <summary>C1: basis channels q = max(1, ⌈ratio·Cin⌉) of the PCA stage (Liu et al. use a fraction of Cin).</summary>
    public float PcaBasisRatio { get; init; } = 0.5f;

    /// <summary>C1: fraction of the second-stage kernel entries (smallest magnitude) set to zero.</summary>
    public float SparseKernelSparsity { get; init; } = 0.5f;

    /// <summary>C2: width multiplier α (paper: 0.5); see docs/techniques.md for what it scales here.</summary>
    public float WidthMultiplier { get; init; } = 0.5f;

    /// <summary>C3: sparsity coefficient θ (paper: 0.75): fraction of input-channel connections removed per output channel.</summary>
    public float SparseRandomTheta { get; init; } = 0.75f;

    /// <summary>L1: squeeze channels s = max(1, ratio·Cout) (SqueezeNet: 1/4 of the expand channels).</summary>
    public float FireSqueezeRatio { get; init; } = 0.25f;

    /// <summary>L2: hidden width of the Mlpconv micro-network, Cout' = max(1, ratio·Cout).</summary>
    public float MlpconvWidthRatio { get; init; } = 0.5f;

    /// <summary>Q8W/Q8: per-output-channel weight scales (needs opset 13, raised when safe); false: one scale per tensor.</summary>
    public bool QuantizePerChannel { get; init; } = true;

    /// <summary>Q8: calibration batches for the activation ranges (the caller passes data; Q8 refuses without it).</summary>
    public CalibrationData? Calibration { get; init; }

    /// <summary>P1: fraction of output channels removed by structured channel pruning.</summary>
    public float ChannelPruneRatio { get; init; } = 0.5f;

    /// <summary>Seed for techniques that draw random numbers (C3 masks, W2 and C2 restarts).</summary>
    public int Seed { get; init; } = 42;
}
