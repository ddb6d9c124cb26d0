using System.Globalization;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The compressed model's labelled accuracy against the original's on the same inputs, as McNemar's paired test:
/// only the inputs where exactly one of them is right count (<see cref="CandidateOnly"/>, <see cref="OriginalOnly"/>).
/// The candidate is within the allowed drop d unless the lower confidence bound of its loss,
/// (OriginalOnly − CandidateOnly − z·√(OriginalOnly + CandidateOnly)) / n, exceeds d.
/// </summary>
public sealed record PairedAccuracy
{
    public int Samples { get; init; }

    public double OriginalAccuracy { get; init; }

    public double CandidateAccuracy { get; init; }

    /// <summary>Inputs the candidate gets right and the original wrong.</summary>
    public int CandidateOnly { get; init; }

    /// <summary>Inputs the original gets right and the candidate wrong.</summary>
    public int OriginalOnly { get; init; }

    public double AllowedDrop { get; init; }

    /// <summary>Lower confidence bound of the candidate's accuracy loss (negative: it may well be better).</summary>
    public double LossLowerBound { get; init; }

    public bool WithinDrop => LossLowerBound <= AllowedDrop;

    public static PairedAccuracy Compare(IReadOnlyList<int> labels, IReadOnlyList<int> original, IReadOnlyList<int> candidate, double allowedDrop, double z)
    {
        if (labels.Count != original.Count || labels.Count != candidate.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {original.Count} and {candidate.Count} predictions");
        }

        int n = labels.Count, originalRight = 0, candidateRight = 0, candidateOnly = 0, originalOnly = 0;
        for (var i = 0; i < n; i++)
        {
            var o = original[i] == labels[i];
            var c = candidate[i] == labels[i];
            originalRight += o ? 1 : 0;
            candidateRight += c ? 1 : 0;
            candidateOnly += c && !o ? 1 : 0;
            originalOnly += o && !c ? 1 : 0;
        }

        var bound = n == 0 ? double.PositiveInfinity : (originalOnly - candidateOnly - z * Math.Sqrt(originalOnly + candidateOnly)) / n;
        return new PairedAccuracy
        {
            Samples = n,
            OriginalAccuracy = n == 0 ? 0 : (double)originalRight / n,
            CandidateAccuracy = n == 0 ? 0 : (double)candidateRight / n,
            CandidateOnly = candidateOnly,
            OriginalOnly = originalOnly,
            AllowedDrop = allowedDrop,
            LossLowerBound = bound,
        };
    }

    public string Describe() => string.Format(CultureInfo.InvariantCulture,
        "labelled accuracy {0:P2} on {1} (original {2:P2}; right only here {3}, only there {4}; 95 % lower bound of the loss {5:+0.00;-0.00} pt, allowed {6:0.##} pt: {7})",
        CandidateAccuracy, Samples, OriginalAccuracy, CandidateOnly, OriginalOnly, LossLowerBound * 100, AllowedDrop * 100, WithinDrop ? "within" : "beyond");
}
