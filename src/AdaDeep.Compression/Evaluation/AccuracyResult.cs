using System.Globalization;

namespace AdaDeep.Compression.Evaluation;

/// <summary>
/// Top-1 accuracy over <see cref="Count"/> samples. <see cref="IsAgreement"/> is true when the data set had no labels
/// and the figure is the top-1 agreement with a reference model (the original) rather than accuracy against labels;
/// reports must say which (see <see cref="Describe"/>).
/// </summary>
public sealed record AccuracyResult(double Accuracy, bool IsAgreement, int Count)
{
    /// <summary>"accuracy" or "agreement".</summary>
    public string Metric => IsAgreement ? "agreement" : "accuracy";

    /// <summary>E.g. "98.91% top-1 accuracy on 10000 labelled samples" or "100.00% top-1 agreement with the original model on 3 unlabelled samples".</summary>
    public string Describe() => IsAgreement
        ? string.Create(CultureInfo.InvariantCulture, $"{Accuracy * 100:F2}% top-1 agreement with the original model on {Count} unlabelled samples")
        : string.Create(CultureInfo.InvariantCulture, $"{Accuracy * 100:F2}% top-1 accuracy on {Count} labelled samples");

    public override string ToString() => Describe();
}
