namespace AdaDeep.Search.Environments;

/// <summary>
/// A candidate's paired accuracy estimate: <see cref="Accuracy"/> (anchored to the reference's), the samples it was
/// measured on, its plain accuracy on them, and the samples only it / only the reference got right.
/// </summary>
public sealed record PairedEstimate(double Accuracy, int Samples, double RawAccuracy, int CandidateOnly, int ReferenceOnly);
