using System.Globalization;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// One graph output of the compressed model compared with the original's on the same held-out inputs: top-1
/// agreement when the output is a class score vector, and for every output the largest and mean absolute
/// difference and the cosine similarity per sample (task-neutral, so it also judges dense outputs such as masks).
/// </summary>
public sealed record OutputComparison
{
    public required string Name { get; init; }

    public IReadOnlyList<int> SampleShape { get; init; } = Array.Empty<int>();

    /// <summary>The output is one score per class (a vector of two or more): top-1 agreement is measured.</summary>
    public bool IsClassifier { get; init; }

    /// <summary>Fraction of samples whose top-1 class equals the original's; null for dense outputs.</summary>
    public double? Top1Agreement { get; init; }

    public double MaxAbsDiff { get; init; }

    public double MeanAbsDiff { get; init; }

    /// <summary>Mean over samples of the cosine similarity between the two outputs (1 = same direction).</summary>
    public double MeanCosine { get; init; }

    public double MinCosine { get; init; }

    /// <summary>Why the check says nothing about this output (e.g. the original predicts one class for every input), or null.</summary>
    public string? Degenerate { get; init; }

    /// <summary>The labelled, paired accuracy check of the output (null: agreement or cosine alone judged it).</summary>
    public PairedAccuracy? Labelled { get; init; }

    /// <summary>What the gate judged this output by: "top-1 agreement" or "cosine".</summary>
    public required string JudgedBy { get; init; }

    public bool Passed { get; init; }

    /// <summary>Set when the output could not be compared per sample (not batch-first, not float32).</summary>
    public string? NotCompared { get; init; }

    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        if (NotCompared is { } why)
        {
            return $"{Name}: not compared ({why})";
        }

        var agreement = Top1Agreement is { } a ? string.Format(inv, "top-1 agreement {0:P2}, ", a) : "";
        var verdict = Passed ? "passed" : "FAILED";
        var degenerate = Degenerate is { } d ? $"; meaningless check: {d}" : "";
        return string.Format(inv, "{0} [{1}]: {2}cosine mean {3:0.######} (min {4:0.######}), max |Δ| {5:G4}, mean |Δ| {6:G4} — {7} on {8}{9}",
            Name, string.Join("x", SampleShape), agreement, MeanCosine, MinCosine, MaxAbsDiff, MeanAbsDiff, verdict, JudgedBy, degenerate);
    }
}
