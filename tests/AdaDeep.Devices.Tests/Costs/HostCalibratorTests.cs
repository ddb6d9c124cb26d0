using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;

namespace AdaDeep.Devices.Tests.Costs;

public class HostCalibratorTests
{
    [Fact]
    public void A_small_calibration_gives_positive_figures_and_a_valid_profile()
    {
        // Tiny sizes keep the test fast; the figures are only checked for sanity, never against timings.
        var calibration = HostCalibrator.Measure(threads: 1, matrixSize: 64, streamElements: 1 << 16, chainLength: 4, runs: 3);

        Assert.True(calibration.PeakMacsPerSecond > 0 && double.IsFinite(calibration.PeakMacsPerSecond));
        Assert.True(calibration.MemoryBandwidthBytesPerSecond > 0 && double.IsFinite(calibration.MemoryBandwidthBytesPerSecond));
        Assert.True(calibration.PerLayerOverheadMs >= 0);
        Assert.InRange(calibration.ConvEfficiency, 0.01, 1);
        Assert.False(string.IsNullOrWhiteSpace(calibration.Machine));

        var profile = calibration.ToProfile("my-host", "My host", dramMB: 8192, l2CacheMB: 2);
        Assert.True(profile.MeasuresLatency);
        Assert.Null(profile.BatteryMAh);
        Assert.Same(profile, ProfileValidator.Validate(profile));
    }
}

public class HostCalibratorKernelTableTests
{
    [Fact]
    public void A_quick_kernel_sweep_gives_a_valid_profile_with_a_kernel_table()
    {
        var calibration = HostCalibrator.Measure(threads: 1, matrixSize: 64, streamElements: 1 << 16, chainLength: 4, runs: 3, kernels: KernelSweep.Quick, kernelRuns: 3);

        Assert.NotNull(calibration.KernelCosts);
        Assert.Contains("Conv", calibration.KernelCosts!.Kernels.Keys);
        var profile = calibration.ToProfile("my-host", "My host", dramMB: 8192, l2CacheMB: 2);
        Assert.Same(calibration.KernelCosts, profile.KernelCosts);
        Assert.Same(profile, ProfileValidator.Validate(profile));
    }
}
