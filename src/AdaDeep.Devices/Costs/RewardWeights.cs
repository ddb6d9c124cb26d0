using AdaDeep.Devices.Profiles;

namespace AdaDeep.Devices.Costs;

/// <summary>
/// The coefficients of the reward (paper Eq. 8): μ1 weighs accuracy and μ2 energy in R1, μ3 latency and μ4 storage in R2.
/// </summary>
public sealed record RewardWeights(double Mu1, double Mu2, double Mu3, double Mu4)
{
    /// <summary>Battery capacity (mAh) and L2 size (MB) at which the paper's per-device weights bottom out.</summary>
    public const double ReferenceBatteryMAh = 4000;

    public const double ReferenceCacheMB = 8;

    /// <summary>The floor of μ2 and μ4 in the paper's per-device rule.</summary>
    public const double Floor = 0.6;

    /// <summary>The paper's defaults (section 5): μ1 = 0.6, μ2 = 0.4, μ3 = μ4 = 0.5.</summary>
    public static RewardWeights Default { get; } = new(0.6, 0.4, 0.5, 0.5);

    /// <summary>
    /// Paper section 5.3.3: μ2 = max((4000 − battery mAh)/4000, 0.6), μ1 = 1 − μ2 (a smaller battery weighs energy
    /// more); μ4 = max((8 − L2 MB)/8, 0.6), μ3 = 1 − μ4 (a smaller cache weighs storage more). The paper gives no rule
    /// for mains-powered devices (its boards and set-top boxes say "power-plug"): energy matters less there, so they
    /// keep the paper's default μ1 = 0.6, μ2 = 0.4, while μ3/μ4 still follow their L2 cache.
    /// </summary>
    public static RewardWeights ForDevice(DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var mu2 = device.BatteryMAh is { } battery
            ? Math.Max((ReferenceBatteryMAh - battery) / ReferenceBatteryMAh, Floor)
            : Default.Mu2;
        var mu1 = device.BatteryMAh is null ? Default.Mu1 : 1 - mu2;
        var mu4 = Math.Max((ReferenceCacheMB - device.L2CacheMB) / ReferenceCacheMB, Floor);
        return new RewardWeights(mu1, mu2, 1 - mu4, mu4);
    }
}
