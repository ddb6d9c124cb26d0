namespace AdaDeep.Search.Core;

/// <summary>
/// The scaling coefficients μ1..μ4 of paper Eq. 8: μ1 accuracy, μ2 energy (both in R1), μ3 latency, μ4 storage
/// (both in R2). Per-device values come from the device profile (paper 5.3.3); <see cref="Paper"/> are the
/// defaults of paper 5.3.1.
/// </summary>
public sealed record RewardCoefficients(double Mu1, double Mu2, double Mu3, double Mu4)
{
    public static RewardCoefficients Paper { get; } = new(0.6, 0.4, 0.5, 0.5);
}
