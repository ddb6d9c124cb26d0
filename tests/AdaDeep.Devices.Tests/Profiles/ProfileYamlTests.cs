using System.Text;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Devices.Tests.Profiles;

/// <summary>Malformed, hostile and invalid profile files: each gives the right code, the file and the place.</summary>
public class ProfileYamlTests : IDisposable
{
    private const string Valid = """
        id: test-device
        name: Test device
        type: phone
        processor: test
        dramMB: 2048
        l2CacheMB: 1
        batteryMAh: 3000
        peakGmacs: 10
        memoryBandwidthGBps: 5
        perLayerOverheadMs: 0.01
        """;

    private readonly TempFiles temp = new();

    public void Dispose() => temp.Dispose();

    private AdaDeepException LoadError(string yaml, string name = "device.yaml")
    {
        var path = temp.Write(name, yaml);
        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfilesFile(path));
        Assert.Equal(path, error.File);
        return error;
    }

    private static string With(string field, string value) =>
        string.Join('\n', Valid.Split('\n').Select(l => l.StartsWith(field + ":") ? $"{field}: {value}" : l));

    [Fact]
    public void The_valid_profile_used_below_loads()
    {
        var path = temp.Write("ok.yaml", Valid);
        var profile = DeviceCatalog.LoadProfileFile(path);
        Assert.Equal("test-device", profile.Id);
        Assert.Equal(3000, profile.BatteryMAh);
    }

    [Fact]
    public void Bad_indentation_is_malformed_with_line_and_column()
    {
        var error = LoadError("id: test-device\nname: Test\n  dramMB: 12\n");

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Matches(@"line \d+, column \d+", error.Message);
    }

    [Theory]
    [InlineData("devices:\n\t- id: test-device\n")]
    [InlineData("id: test-device\nname: b\n\tdramMB: 3\n")]
    public void Tab_indentation_is_malformed(string yaml)
    {
        var error = LoadError(yaml);

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("tab", error.Message);
        Assert.Matches(@"line \d+, column \d+", error.Message);
    }

    [Fact]
    public void An_unclosed_quote_is_malformed()
    {
        var error = LoadError(Valid.Replace("name: Test device", "name: \"Test device"));

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Matches(@"line \d+, column \d+", error.Message);
    }

    [Theory]
    [InlineData("!!python/object/apply:os.system ['echo pwned']")]
    [InlineData("!<System.Diagnostics.Process> { StartInfo: { FileName: calc } }")]
    [InlineData("!!str Test device")]
    [InlineData("!custom Test device")]
    public void Explicit_tags_are_rejected_before_anything_is_read(string taggedName)
    {
        var error = LoadError(With("name", taggedName));

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("tags", error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void A_tagged_root_document_is_rejected()
    {
        var error = LoadError("--- !<System.Diagnostics.Process>\n" + Valid);
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("tags", error.Message);
    }

    [Fact]
    public void Billion_laughs_aliases_are_rejected_without_expanding_them()
    {
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append($"{level}: &{level} [{string.Join(',', Enumerable.Repeat($"*{previous}", 9))}]\n");
        }

        // 9^10 ≈ 3.5 billion strings if expanded.
        var error = LoadError(yaml.ToString());

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("aliases", error.Message);
    }

    [Fact]
    public void Anchors_and_aliases_within_reason_are_allowed()
    {
        var path = temp.Write("anchors.yaml", """
            - &base
              id: first
              name: First
              dramMB: 1024
              l2CacheMB: 1
              batteryMAh: null
              peakGmacs: 10
              memoryBandwidthGBps: 5
              operatorEfficiency: &eff { Conv: 0.5 }
            - id: second
              name: Second
              dramMB: 1024
              l2CacheMB: 1
              batteryMAh: null
              peakGmacs: 20
              memoryBandwidthGBps: 5
              operatorEfficiency: *eff
            """);

        var profiles = DeviceCatalog.LoadProfilesFile(path);

        Assert.Equal(0.5, profiles[1].OperatorEfficiency["Conv"]);
    }

    [Fact]
    public void Deep_nesting_is_rejected()
    {
        var error = LoadError("a: " + new string('[', 100) + new string(']', 100));
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("nesting", error.Message);
    }

    [Fact]
    public void Oversized_files_are_rejected()
    {
        var error = LoadError(Valid + "\n#" + new string('x', 2 << 20));
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
    }

    [Fact]
    public void Two_documents_are_malformed()
    {
        var error = LoadError(Valid + "\n---\n" + Valid);
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("second", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("just text")]
    [InlineData("[]")]
    [InlineData("devices: 3")]
    public void Files_without_a_profile_are_malformed(string yaml) =>
        Assert.Equal(ErrorCodes.ProfileMalformed, LoadError(yaml).Code);

    [Fact]
    public void A_duplicate_key_is_malformed() =>
        Assert.Equal(ErrorCodes.ProfileMalformed, LoadError(Valid + "\ndramMB: 4096").Code);

    [Fact]
    public void An_unknown_field_is_malformed_and_suggests_the_right_one()
    {
        var error = LoadError(Valid.Replace("batteryMAh", "batteryMah"));

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("'batteryMah'", error.Message);
        Assert.Contains("'batteryMAh'", error.Message);
        Assert.Contains("line 7", error.Message);
    }

    [Theory]
    [InlineData("dramMB", "lots")]
    [InlineData("dramMB", "\"2048\"")]
    [InlineData("dramMB", "[1, 2]")]
    [InlineData("peakGmacs", "{ a: 1 }")]
    [InlineData("batteryMAh", "mains")]
    [InlineData("name", "[a, b]")]
    [InlineData("l2CacheMB", "null")]
    public void A_value_of_the_wrong_type_names_the_field(string field, string value)
    {
        var error = LoadError(With(field, value));

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains($"'{field}'", error.Message);
        Assert.Matches(@"line \d+, column \d+", error.Message);
    }

    [Fact]
    public void A_boolean_field_rejects_other_text()
    {
        var error = LoadError(Valid + "\nmeasuresLatency: yes please");
        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("'measuresLatency'", error.Message);
    }

    [Theory]
    [InlineData("dramMB", "-1")]
    [InlineData("dramMB", "0")]
    [InlineData("l2CacheMB", "0")]
    [InlineData("l2CacheMB", "-2")]
    [InlineData("batteryMAh", "0")]
    [InlineData("batteryMAh", "-420")]
    [InlineData("peakGmacs", "-10")]
    [InlineData("memoryBandwidthGBps", "0")]
    [InlineData("perLayerOverheadMs", "-0.01")]
    [InlineData("peakGmacs", "Infinity")]
    [InlineData("peakGmacs", "NaN")]
    [InlineData("id", "Sony SW3")]
    [InlineData("id", "sony_sw3")]
    [InlineData("name", "''")]
    public void Out_of_range_values_name_the_field(string field, string value)
    {
        var error = LoadError(With(field, value));

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains($"'{field}'", error.Message);
        Assert.Contains("line ", error.Message);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("-0.5")]
    public void Operator_efficiency_must_be_a_fraction_of_peak(string value)
    {
        var error = LoadError(Valid + $"\noperatorEfficiency:\n  Conv: {value}");

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("'operatorEfficiency.Conv'", error.Message);
        Assert.Contains("line 12, column 9", error.Message);
    }

    [Theory]
    [InlineData("batteryMAh")]
    [InlineData("peakGmacs")]
    [InlineData("id")]
    public void A_missing_required_field_is_named(string field)
    {
        var yaml = string.Join('\n', Valid.Split('\n').Where(l => !l.StartsWith(field + ":")));

        var error = LoadError(yaml);

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains($"'{field}'", error.Message);
    }

    [Fact]
    public void Ids_must_be_unique_within_a_file()
    {
        var item = string.Join('\n', Valid.Split('\n').Select((l, i) => (i == 0 ? "- " : "  ") + l));

        var error = LoadError(item + "\n" + item);

        Assert.Equal(ErrorCodes.ProfileInvalidValue, error.Code);
        Assert.Contains("'test-device'", error.Message);
        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public void Mains_power_is_written_as_null()
    {
        var path = temp.Write("mains.yaml", With("batteryMAh", "null"));
        Assert.Null(DeviceCatalog.LoadProfileFile(path).BatteryMAh);

        path = temp.Write("mains2.yaml", With("batteryMAh", "~"));
        Assert.Null(DeviceCatalog.LoadProfileFile(path).BatteryMAh);
    }

    [Fact]
    public void Optional_fields_take_their_defaults()
    {
        var yaml = string.Join('\n', Valid.Split('\n').Where(l => !l.StartsWith("perLayerOverheadMs") && !l.StartsWith("type") && !l.StartsWith("processor")));
        var profile = DeviceCatalog.LoadProfileFile(temp.Write("min.yaml", yaml));

        Assert.Equal(0, profile.PerLayerOverheadMs);
        Assert.Equal("phone", profile.Type);
        Assert.Equal(52.8, profile.EnergyPerMacPJ);
        Assert.Null(profile.EnergyPerCacheBytePJ);
        Assert.Null(profile.EnergyPerDramBytePJ);
        // Without byte figures the paper's ratios apply: 6·ε1 and 200·ε1 per 4-byte word.
        Assert.Equal(52.8 * 6 / 4, profile.CacheBytePJ, 1e-12);
        Assert.Equal(52.8 * 200 / 4, profile.DramBytePJ, 1e-12);
        Assert.False(profile.MeasuresLatency);
        Assert.Empty(profile.OperatorEfficiency);
    }
}
