using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;

namespace AdaDeep.Devices.Tests.Costs;

public class RewardWeightsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Sony_smartwatch_weighs_energy_and_storage_heavily()
    {
        // 420 mAh: μ2 = (4000 − 420)/4000 = 0.895; 1 MB L2: μ4 = (8 − 1)/8 = 0.875.
        var weights = RewardWeights.ForDevice(DeviceCatalog.Default.Resolve("sony-sw3"));

        Assert.Equal(0.895, weights.Mu2, Tolerance);
        Assert.Equal(0.105, weights.Mu1, Tolerance);
        Assert.Equal(0.875, weights.Mu4, Tolerance);
        Assert.Equal(0.125, weights.Mu3, Tolerance);
    }

    [Fact]
    public void Redmi_3s_sits_on_the_floors()
    {
        // 4100 mAh: (4000 − 4100)/4000 < 0.6 → μ2 = 0.6; 2 MB L2: μ4 = 6/8 = 0.75.
        var weights = RewardWeights.ForDevice(DeviceCatalog.Default.Resolve("xiaomi-redmi-3s"));

        Assert.Equal(0.6, weights.Mu2, Tolerance);
        Assert.Equal(0.4, weights.Mu1, Tolerance);
        Assert.Equal(0.75, weights.Mu4, Tolerance);
        Assert.Equal(0.25, weights.Mu3, Tolerance);
    }

    [Fact]
    public void Mains_powered_devices_keep_the_paper_defaults_for_accuracy_and_energy()
    {
        var weights = RewardWeights.ForDevice(DeviceCatalog.Default.Resolve("firefly-rk3399"));

        Assert.Equal(0.6, weights.Mu1, Tolerance);
        Assert.Equal(0.4, weights.Mu2, Tolerance);
        Assert.Equal(0.75, weights.Mu4, Tolerance);
    }

    [Fact]
    public void A_large_cache_bottoms_out_at_the_floor()
    {
        // RK3288, 8 MB: (8 − 8)/8 = 0 < 0.6.
        var weights = RewardWeights.ForDevice(DeviceCatalog.Default.Resolve("firefly-rk3288"));
        Assert.Equal(0.6, weights.Mu4, Tolerance);
        Assert.Equal(0.4, weights.Mu3, Tolerance);
    }

    [Fact]
    public void Default_is_the_papers()
    {
        Assert.Equal(new RewardWeights(0.6, 0.4, 0.5, 0.5), RewardWeights.Default);
    }

    [Fact]
    public void Pairs_always_sum_to_one_except_for_mains_defaults()
    {
        Assert.All(DeviceCatalog.Default.All, d =>
        {
            var w = RewardWeights.ForDevice(d);
            Assert.Equal(1, w.Mu1 + w.Mu2, Tolerance);
            Assert.Equal(1, w.Mu3 + w.Mu4, Tolerance);
        });
    }
}
