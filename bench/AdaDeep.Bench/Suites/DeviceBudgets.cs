using AdaDeep.Devices.Profiles;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// A device's own budgets, derived from its profile (docs/benchmarks.md, "devices"), in the spirit of the paper's
/// Eq. 8 coefficients (μ2 from the battery, μ4 from the L2 cache):
/// <list type="bullet">
/// <item>storage: the original's weights × L2 cache / 8 MB (at most 1), so the model must shrink as much as the device's
/// cache is smaller than the largest of Table 3 (firefly-rk3288, 8 MB: no storage budget beyond the original);</item>
/// <item>energy (battery devices only): the original's energy per inference scaled by battery / 4,000 mAh (at most 1),
/// so a 420 mAh watch must spend about a tenth of it; devices on mains power have no energy budget;</item>
/// <item>latency: what the original takes on the reference phone (device 1, Xiaomi Redmi 3S), so slower devices must
/// speed the model up to give the same experience;</item>
/// <item>accuracy: the pipeline's default floor, the original's validation accuracy − 2 pt.</item>
/// </list>
/// </summary>
public sealed record DeviceBudgets(double StorageMB, double? EnergyMJ, double LatencyMs)
{
    public const string ReferenceDevice = "xiaomi-redmi-3s";

    public const double FullBatteryMAh = 4000;

    public const double LargestCacheMB = 8;

    public static DeviceBudgets For(DeviceProfile device, double originalStorageMB, double originalEnergyMJ, double originalLatencyOnReferenceMs) => new(
        StorageMB: originalStorageMB * Math.Min(1, device.L2CacheMB / LargestCacheMB),
        EnergyMJ: device.BatteryMAh is double battery ? originalEnergyMJ * Math.Min(1, battery / FullBatteryMAh) : null,
        LatencyMs: originalLatencyOnReferenceMs);
}
