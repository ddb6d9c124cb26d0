using System.Globalization;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Devices.Tests.Reliability;

/// <summary>
/// Numbers in a profile that are negative, not numbers, or absurd: ADA2003 naming the field and its line. What is
/// accepted gives finite, positive costs on a real model (the fuzzer found 4.9e-324 GB/s giving infinite latencies).
/// </summary>
public sealed class ProfileNumberTests : IDisposable
{
    private const string Valid = """
        id: my-board
        name: My Board
        dramMB: 2048
        l2CacheMB: 1
        batteryMAh: 3000
        peakGmacs: 20
        memoryBandwidthGBps: 8
        perLayerOverheadMs: 0.01
        energyPerMacPJ: 52.8
        energyPerCacheBytePJ: 7.78
        energyPerDramBytePJ: 102.4
        operatorEfficiency: {Conv: 0.5}

        """;

    private readonly TempFiles temp = new();

    public void Dispose() => temp.Dispose();

    public static TheoryData<string, string> BadNumbers
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in new[] { "dramMB", "l2CacheMB", "batteryMAh", "peakGmacs", "memoryBandwidthGBps", "energyPerMacPJ", "energyPerCacheBytePJ", "energyPerDramBytePJ" })
            {
                foreach (var value in new[] { "-1", "0", "-0", ".nan", ".inf", "-.inf", "1e309", "4.9e-324", "1e-300", "1e300" })
                {
                    data.Add(name, value);
                }
            }

            foreach (var value in new[] { "-1", "-1e-9", ".nan", ".inf", "1e309", "1e300" })
            {
                data.Add("perLayerOverheadMs", value);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public void A_number_out_of_its_range_is_ADA2003_naming_the_field_and_line(string field, string value)
    {
        var yaml = Replace(field, value);
        var line = yaml.Split('\n').ToList().FindIndex(l => l.StartsWith(field + ":", StringComparison.Ordinal)) + 1;
        var path = temp.Write("numbers.yaml", yaml);

        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfilesFile(path));

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Equal(path, error.File);
        Assert.Contains($"'{field}'", error.Message);
        Assert.StartsWith($"line {line.ToString(CultureInfo.InvariantCulture)},", error.Message);
    }

    [Theory]
    [InlineData("1e-320")]
    [InlineData("1e-7")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData(".nan")]
    public void An_operator_efficiency_outside_its_range_is_ADA2003(string value)
    {
        var path = temp.Write("efficiency.yaml", Valid.Replace("{Conv: 0.5}", $"{{Conv: {value}}}"));

        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfilesFile(path));

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("'operatorEfficiency.Conv'", error.Message);
    }

    [Theory]
    [InlineData("dramMB", "0.001")]
    [InlineData("dramMB", "1e9")]
    [InlineData("peakGmacs", "0.000001")]
    [InlineData("peakGmacs", "1e9")]
    [InlineData("memoryBandwidthGBps", "0.000001")]
    [InlineData("memoryBandwidthGBps", "1e9")]
    [InlineData("energyPerMacPJ", "1e9")]
    [InlineData("energyPerCacheBytePJ", "1e9")]
    [InlineData("energyPerDramBytePJ", "0.000001")]
    [InlineData("perLayerOverheadMs", "1e6")]
    public void The_edges_of_each_range_are_accepted_and_give_finite_costs(string field, string value)
    {
        var path = temp.Write("edge.yaml", Replace(field, value));
        var profile = DeviceCatalog.LoadProfileFile(path);

        var cost = CostModel.Estimate(ModelAnalyzer.Analyze(OnnxModel.Load(RepoPaths.Model("mnist-8"))), profile);

        Assert.True(double.IsFinite(cost.LatencyMs) && cost.LatencyMs > 0, $"latency {cost.LatencyMs}");
        Assert.True(double.IsFinite(cost.EnergyMJ) && cost.EnergyMJ > 0, $"energy {cost.EnergyMJ}");
    }

    [Fact]
    public void Every_catalog_profile_lies_within_the_ranges()
    {
        foreach (var profile in DeviceCatalog.Default.All)
        {
            Assert.InRange(profile.PeakMacsPerSecond / 1e9, ProfileValidator.PlausibleRanges["peakGmacs"].Min, ProfileValidator.PlausibleRanges["peakGmacs"].Max);
            Assert.InRange(profile.MemoryBandwidthBytesPerSecond / 1e9, ProfileValidator.PlausibleRanges["memoryBandwidthGBps"].Min, ProfileValidator.PlausibleRanges["memoryBandwidthGBps"].Max);
            Assert.InRange(profile.EnergyPerCacheBytePJ!.Value, ProfileValidator.PlausibleRanges["energyPerCacheBytePJ"].Min, ProfileValidator.PlausibleRanges["energyPerCacheBytePJ"].Max);
            Assert.InRange(profile.EnergyPerDramBytePJ!.Value, ProfileValidator.PlausibleRanges["energyPerDramBytePJ"].Min, ProfileValidator.PlausibleRanges["energyPerDramBytePJ"].Max);
        }
    }

    private static string Replace(string field, string value)
    {
        var lines = Valid.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(field + ":", StringComparison.Ordinal))
            {
                lines[i] = $"{field}: {value}";
            }
        }

        return string.Join('\n', lines);
    }
}
