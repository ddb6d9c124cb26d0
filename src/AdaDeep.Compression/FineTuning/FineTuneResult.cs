using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// The fine-tuned model (the best epoch's weights, possibly the untouched student when no epoch beat it) and its
/// validation accuracy before and after. When the validation data has no labels the figures are top-1 agreement with
/// the teacher (<see cref="ValIsAgreement"/>).
/// </summary>
public sealed record FineTuneResult(OnnxModel Model, double ValAccuracyBefore, double ValAccuracyAfter, int Epochs, TimeSpan Elapsed)
{
    /// <summary>The epoch whose weights were kept (0: the student as given).</summary>
    public int BestEpoch { get; init; }

    /// <summary>True when the accuracies are agreement with the teacher rather than accuracy against labels.</summary>
    public bool ValIsAgreement { get; init; }

    public FineTuneStopReason StopReason { get; init; }

    /// <summary>Training steps taken.</summary>
    public int Steps { get; init; }

    /// <summary>
    /// Nodes the TorchSharp bridge ran in ONNX Runtime (control flow, operators it lacks): no gradient crosses them, so
    /// weights that only reach the output through them were not trained. Empty when everything trained.
    /// </summary>
    public IReadOnlyList<string> OrtEvaluatedNodes { get; init; } = Array.Empty<string>();
}
