using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Devices.Profiles;
using AdaDeep.Devices.Profiles.Yaml;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Devices.Tests.Profiles.Yaml;

/// <summary>The optional kernelCosts block of a profile: read, written back, and rejected when wrong, with the line.</summary>
public class KernelCostsYamlTests
{
    private const string Profile = """
        id: test-device
        name: Test device
        dramMB: 2048
        l2CacheMB: 1
        batteryMAh: null
        peakGmacs: 10
        memoryBandwidthGBps: 5

        """;

    private static DeviceProfile Parse(string kernelCosts) => DeviceCatalog.Parse(Profile + kernelCosts, "device.yaml").Single();

    private static AdaDeepException Error(string kernelCosts) => Assert.Throws<AdaDeepException>(() => Parse(kernelCosts));

    [Fact]
    public void A_block_is_read_with_omitted_coefficients_as_zero()
    {
        var profile = Parse("""
            kernelCosts:
              perInferenceUs: 2.5
              kernels:
                Conv: { fixedUs: 1.5, usPerMMac: 3, usPerMLowered: 300 }
                Relu: { fixedUs: 0.25 }
            """);

        var table = profile.KernelCosts!;
        Assert.Equal(2.5, table.PerInferenceUs);
        Assert.Equal(new OperatorCost(1.5, 3, 0, 0, 300), table.Kernels["Conv"]);
        Assert.Equal(new OperatorCost(0.25), table.Kernels["Relu"]);
    }

    [Fact]
    public void A_profile_without_the_block_has_no_table() => Assert.Null(Parse("").KernelCosts);

    [Fact]
    public void Write_gives_yaml_that_reads_back_to_the_same_table_up_to_four_digits()
    {
        var table = new OperatorCostTable(1.61234, new Dictionary<string, OperatorCost>
        {
            ["Conv.dq"] = new(3.08, 19.69, 0, 89.06, 303.3),
            ["Relu"] = new(0.2738, UsPerMBActivations: 13.74),
        });

        var read = Parse(KernelCostsYaml.Write(table, indent: "")).KernelCosts!;

        Assert.Equal(1.612, read.PerInferenceUs);
        Assert.Equal(table.Kernels["Conv.dq"], read.Kernels["Conv.dq"]);
        Assert.Equal(table.Kernels["Relu"], read.Kernels["Relu"]);
    }

    [Fact]
    public void A_negative_coefficient_is_rejected_naming_the_field_and_line()
    {
        var error = Error("""
            kernelCosts:
              perInferenceUs: 2
              kernels:
                Conv: { fixedUs: -1 }
            """);

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("'kernelCosts.kernels.Conv.fixedUs'", error.Message);
        Assert.Contains("line 11", error.Message);
    }

    [Fact]
    public void An_unknown_coefficient_is_rejected_with_a_suggestion()
    {
        var error = Error("""
            kernelCosts:
              perInferenceUs: 2
              kernels:
                Conv: { fixedUs: 1, usPerMac: 3 }
            """);

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("usPerMMac", error.Message);
    }

    [Theory]
    [InlineData("kernelCosts:\n  kernels:\n    Conv: { fixedUs: 1 }\n", "perInferenceUs")]
    [InlineData("kernelCosts:\n  perInferenceUs: 2\n  kernels: {}\n", "at least one kernel")]
    [InlineData("kernelCosts:\n  perInferenceUs: \"2\"\n  kernels:\n    Conv: { fixedUs: 1 }\n", "must be a number")]
    [InlineData("kernelCosts:\n  perInferenceUs: 2e9\n  kernels:\n    Conv: { fixedUs: 1 }\n", "perInferenceUs")]
    [InlineData("kernelCosts: 3\n", "must be a mapping")]
    [InlineData("kernelCosts:\n  perInferenceUs: 2\n  kernels:\n    Conv: 4\n", "must be a mapping")]
    [InlineData("kernelCosts:\n  perInferenceUs: 2\n  kernelz: {}\n", "Did you mean 'kernels'")]
    public void Broken_blocks_are_rejected(string block, string expected)
    {
        var error = Error(block);

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_table_built_in_code_is_validated_too()
    {
        var bad = DeviceCatalog.Default.Resolve("host") with
        {
            KernelCosts = new OperatorCostTable(double.NaN, new Dictionary<string, OperatorCost> { ["Conv"] = new(1) }),
        };

        var error = Assert.Throws<AdaDeepException>(() => ProfileValidator.Validate(bad));

        Assert.Contains("'kernelCosts.perInferenceUs'", error.Message);
    }
}
