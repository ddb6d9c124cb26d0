using System.Globalization;
using System.Reflection;
using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Devices.Profiles;

namespace AdaDeep.Devices.Tests.Profiles;

public class CanonicalProfileTests
{
    private static DeviceProfile Sample() => DeviceCatalog.Default.Resolve("sony-sw3") with
    {
        OperatorEfficiency = new Dictionary<string, double> { ["Gemm"] = 0.7, ["Conv"] = 0.4 },
    };

    [Fact]
    public void The_text_is_stable_and_lists_every_figure()
    {
        var text = CanonicalProfile.ToCanonicalText(Sample());

        Assert.Equal(text, CanonicalProfile.ToCanonicalText(Sample()));
        Assert.StartsWith(CanonicalProfile.FormatVersion + "\n", text);
        Assert.Contains("id=\"sony-sw3\"\n", text);
        Assert.Contains("batteryMAh=420\n", text);
        Assert.Contains("peakMacsPerSecond=4800000000\n", text);
        Assert.Contains("energyPerMacPJ=19.6\n", text);
        Assert.Contains("energyPerDramBytePJ=102.4\n", text);
        Assert.True(text.IndexOf("operatorEfficiency.\"Conv\"=0.4", StringComparison.Ordinal) < text.IndexOf("operatorEfficiency.\"Gemm\"=0.7", StringComparison.Ordinal));
    }

    [Fact]
    public void Culture_does_not_change_the_text()
    {
        var invariant = CanonicalProfile.ToCanonicalText(Sample());
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(invariant, CanonicalProfile.ToCanonicalText(Sample()));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Dictionary_insertion_order_does_not_change_the_text()
    {
        var reversed = Sample() with { OperatorEfficiency = new Dictionary<string, double> { ["Conv"] = 0.4, ["Gemm"] = 0.7 } };
        Assert.Equal(CanonicalProfile.ToCanonicalText(Sample()), CanonicalProfile.ToCanonicalText(reversed));
    }

    [Fact]
    public void Changing_any_property_changes_the_text()
    {
        var original = Sample();
        var text = CanonicalProfile.ToCanonicalText(original);
        var properties = typeof(DeviceProfile).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        Assert.True(properties.Count >= 14);

        foreach (var property in properties)
        {
            var changed = Clone(original);
            property.SetValue(changed, Different(property.GetValue(original), property.PropertyType));
            Assert.True(text != CanonicalProfile.ToCanonicalText(changed), $"changing {property.Name} did not change the canonical text");
        }
    }

    [Fact]
    public void Every_kernel_table_coefficient_is_in_the_text()
    {
        var host = DeviceCatalog.Default.Resolve("host");
        var text = CanonicalProfile.ToCanonicalText(host);
        var table = host.KernelCosts!;
        var conv = table.Kernels["Conv"];
        var nudged = host with
        {
            KernelCosts = table with
            {
                Kernels = new Dictionary<string, OperatorCost>(table.Kernels) { ["Conv"] = conv with { UsPerMLowered = Math.BitIncrement(conv.UsPerMLowered) } },
            },
        };

        Assert.Contains("kernelCosts.perInferenceUs=", text);
        Assert.Contains("kernelCosts.\"Conv\".usPerMLowered=", text);
        Assert.NotEqual(text, CanonicalProfile.ToCanonicalText(nudged));
    }

    [Fact]
    public void A_tiny_change_of_a_figure_changes_the_text()
    {
        var original = Sample();
        var nudged = original with { PeakMacsPerSecond = Math.BitIncrement(original.PeakMacsPerSecond) };
        Assert.NotEqual(CanonicalProfile.ToCanonicalText(original), CanonicalProfile.ToCanonicalText(nudged));
    }

    [Fact]
    public void Text_values_cannot_forge_other_fields()
    {
        var forged = Sample() with { Name = "x\"\nbatteryMAh=9999" };
        var text = CanonicalProfile.ToCanonicalText(forged);
        Assert.Single(text.Split('\n'), l => l.StartsWith("batteryMAh="));
    }

    private static DeviceProfile Clone(DeviceProfile profile) =>
        (DeviceProfile)typeof(DeviceProfile).GetMethod("<Clone>$")!.Invoke(profile, null)!;

    private static object? Different(object? value, Type type) => value switch
    {
        string s => s + "x",
        double d => d + 1,
        bool b => !b,
        null when type == typeof(double?) => 1234.0,
        null when type == typeof(OperatorCostTable) => new OperatorCostTable(2, new Dictionary<string, OperatorCost> { ["Conv"] = new(1, 3) }),
        OperatorCostTable table => table with { PerInferenceUs = table.PerInferenceUs + 1 },
        IReadOnlyDictionary<string, double> map => new Dictionary<string, double>(map) { ["Added"] = 0.5 },
        _ => throw new InvalidOperationException($"no change defined for {type}: add a case here and a line to CanonicalProfile"),
    };
}
