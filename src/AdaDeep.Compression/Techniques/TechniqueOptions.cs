namespace AdaDeep.Compression.Techniques;

/// <summary>Technique parameters; defaults are the paper's (section 5.2.1).</summary>
public sealed record TechniqueOptions
{
    public static TechniqueOptions Default { get; } = new();

    /// <summary>W1f/W1c: rank k = m / RankDivisor (paper: 12).</summary>
    public int SvdRankDivisor { get; init; } = 12;

    /// <summary>W2: dictionary size k = m / DictionaryDivisor (paper: 6).</summary>
    public int SparseCodingDivisor { get; init; } = 6;

    /// <summary>W3: weights with |w| below this are pruned (paper: 0.001).</summary>
    public float PruneThreshold { get; init; } = 0.001f;

    /// <summary>C2: width multiplier α (paper: 0.5).</summary>
    public float WidthMultiplier { get; init; } = 0.5f;

    /// <summary>C3: sparsity coefficient θ (paper: 0.75).</summary>
    public float SparseRandomTheta { get; init; } = 0.75f;

    /// <summary>P1: fraction of output channels removed by structured channel pruning.</summary>
    public float ChannelPruneRatio { get; init; } = 0.5f;

    /// <summary>Seed for techniques that draw random numbers (C3, W2 initialisation).</summary>
    public int Seed { get; init; } = 42;
}
