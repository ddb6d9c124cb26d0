using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Devices.Tests.Costs;

/// <summary>
/// Eq. 5 with each device's own energy per MAC, per cache byte and per DRAM byte (issue 24, item 5): the figures reach
/// the estimate, differ where the hardware differs, and a profile without them keeps the paper's behaviour.
/// </summary>
public sealed class DeviceEnergyTests : IDisposable
{
    private const string Profile = """
        id: my-board
        name: My Board
        dramMB: 2048
        l2CacheMB: 1
        batteryMAh: null
        peakGmacs: 20
        memoryBandwidthGBps: 8
        energyPerMacPJ: 10
        energyPerCacheBytePJ: 5
        energyPerDramBytePJ: 100

        """;

    private readonly TempFiles temp = new();

    public void Dispose() => temp.Dispose();

    private static CostEstimate Mnist(string device) =>
        CostModel.Estimate(ModelAnalyzer.Analyze(OnnxModel.Load(RepoPaths.Model("mnist-8"))), DeviceCatalog.Default.Resolve(device));

    [Theory]
    [InlineData("sony-sw3", "pixel-8")]         // 40 nm watch against a 4 nm phone: every term differs
    [InlineData("firefly-rk3399", "raspberry-pi-4")] // both 28 nm: only the DRAM differs (DDR3 against LPDDR4)
    public void The_same_model_costs_different_energy_on_different_hardware(string older, string newer)
    {
        var a = Mnist(older);
        var b = Mnist(newer);

        Assert.Equal(a.Macs, b.Macs);
        Assert.Equal(a.ActivationBits, b.ActivationBits);
        Assert.True(a.EnergyMJ > b.EnergyMJ * 1.1, $"{older} {a.EnergyMJ} mJ vs {newer} {b.EnergyMJ} mJ");
    }

    [Fact]
    public void Each_term_is_charged_at_its_own_figure()
    {
        var device = DeviceCatalog.LoadProfileFile(temp.Write("board.yaml", Profile));

        Assert.Equal(1000 * 10e-9, CostModel.EnergyMJ(1000, 0, 0, device), 1e-15);
        Assert.Equal(1000 * 5e-9, CostModel.EnergyMJ(0, 8000, 0, device), 1e-15);   // 1,000 weight bytes from cache
        Assert.Equal(1000 * 100e-9, CostModel.EnergyMJ(0, 0, 8000, device), 1e-15); // 1,000 activation bytes to DRAM
    }

    [Fact]
    public void A_profile_without_byte_figures_keeps_the_papers_ratios()
    {
        var lines = Profile.Split('\n').Where(l => !l.StartsWith("energyPerCacheBytePJ") && !l.StartsWith("energyPerDramBytePJ"));
        var device = DeviceCatalog.LoadProfileFile(temp.Write("paper.yaml", string.Join('\n', lines)));

        Assert.Equal(CostModel.EnergyMJ(5000, 161_600, 1_600, 10.0), CostModel.EnergyMJ(5000, 161_600, 1_600, device), 1e-15);
    }

    [Theory]
    [InlineData("energyPerCacheBytePJ", "\"5\"")]
    [InlineData("energyPerDramBytePJ", "-100")]
    [InlineData("energyPerDramBytePJ", "null")]
    public void A_bad_byte_figure_is_ADA2003_naming_the_field(string field, string value)
    {
        var yaml = string.Join('\n', Profile.Split('\n').Select(l => l.StartsWith(field + ":", StringComparison.Ordinal) ? $"{field}: {value}" : l));

        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfileFile(temp.Write("bad.yaml", yaml)));

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains($"'{field}'", error.Message);
    }

    [Fact]
    public void The_byte_figures_enter_the_canonical_profile_so_the_cache_key_follows_them()
    {
        var device = DeviceCatalog.LoadProfileFile(temp.Write("board.yaml", Profile));
        var cheaperDram = device with { EnergyPerDramBytePJ = 80 };

        Assert.NotEqual(CanonicalProfile.ToCanonicalText(device), CanonicalProfile.ToCanonicalText(cheaperDram));
    }
}
