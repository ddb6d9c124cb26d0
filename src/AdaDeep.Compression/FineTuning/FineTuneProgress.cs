namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// Reported after every training step (<see cref="ValAccuracy"/> null) and after every epoch (with the validation
/// accuracy, or agreement for unlabelled validation data).
/// </summary>
public sealed record FineTuneProgress(int Epoch, int MaxEpochs, int Step, int StepsPerEpoch, double Loss, double? ValAccuracy, TimeSpan Elapsed)
{
    public bool IsEpochEnd => ValAccuracy is not null;
}
