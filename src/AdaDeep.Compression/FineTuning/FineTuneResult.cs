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
}
