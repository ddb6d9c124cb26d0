using System.Globalization;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// What the validation gate compared and found: which inputs (how many, at which shape, real or synthetic), each
/// output's comparison, the thresholds and the verdict. <see cref="Headline"/> is the report's first line about it.
/// </summary>
public sealed record ValidationReport
{
    public int Samples { get; init; }

    /// <summary>The input shape fed, batch first, e.g. "Nx1x28x28".</summary>
    public required string InputShape { get; init; }

    /// <summary>Where the inputs came from (the data set's description).</summary>
    public required string Data { get; init; }

    /// <summary>True for the user's data set or the model's test_data_set inputs; false for synthetic inputs.</summary>
    public bool RealData { get; init; }

    public double MinAgreement { get; init; }

    public double MinCosine { get; init; }

    public IReadOnlyList<OutputComparison> Outputs { get; init; } = Array.Empty<OutputComparison>();

    public bool Passed { get; init; }

    /// <summary>False when no output's check says anything (degenerate, or nothing could be compared).</summary>
    public bool Meaningful { get; init; }

    /// <summary>E.g. "validation gate passed: compressed vs original on 60 held-out real inputs at Nx1x28x28; …".</summary>
    public string Headline => string.Format(CultureInfo.InvariantCulture,
        "validation gate {0}{1}: compressed vs original on {2} held-out {3} inputs at {4} ({5}); {6}",
        Passed ? "passed" : "FAILED",
        Meaningful ? "" : " but the check is MEANINGLESS",
        Samples, RealData ? "real" : "synthetic", InputShape, Data,
        string.Join("; ", Outputs.Select(o => o.Describe())));
}
