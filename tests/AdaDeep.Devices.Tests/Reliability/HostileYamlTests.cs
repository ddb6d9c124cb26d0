using System.Text;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Devices.Tests.Reliability;

/// <summary>
/// Profile files that are not YAML, or YAML an attacker wrote: each is ADA2002 (or ADA2003 for a value) naming the
/// file, never another exception type. The YAML tests of the devices area cover tags, aliases and duplicates; these add
/// binary garbage, encodings, sizes and what the fuzzer found.
/// </summary>
public sealed class HostileYamlTests : IDisposable
{
    private const string Valid = """
        id: my-board
        name: My Board
        dramMB: 2048
        l2CacheMB: 1
        batteryMAh: null
        peakGmacs: 20
        memoryBandwidthGBps: 8

        """;

    private readonly TempFiles temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void An_unclosed_flow_sequence_where_a_key_belongs_is_ADA2002_not_an_InvalidOperationException()
    {
        // Found by src/AdaDeep.Fuzz (yaml, seed 1, input 467): YamlDotNet 18.1's scanner threw InvalidOperationException.
        var yaml = "id: a\nname: b\n" + new string('[', 83) + "1" + new string(']', 82) + "\ntype: phone\n";

        var error = Error(yaml);

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
    }

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "seeded noise", Noise(512, 1) },
        { "more seeded noise", Noise(4096, 2) },
        { "NUL bytes", new byte[256] },
        { "invalid UTF-8", new byte[] { 0x69, 0x64, 0x3A, 0x20, 0xC3, 0x28, 0xFF, 0xFE, 0x0A } },
        { "UTF-16 without BOM", Encoding.Unicode.GetBytes(Valid) },
        { "a PNG header", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A } },
        { "an ONNX-like protobuf", new byte[] { 0x08, 0x07, 0x12, 0x04, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0x3A, 0x00 } },
        { "control characters", Encoding.UTF8.GetBytes("id: \u0001\u0002\u001b[31m\nname: x\n") },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Binary_garbage_is_a_profile_error_naming_the_file(string what, byte[] bytes)
    {
        var path = Path.Combine(temp.Root, "garbage.yaml");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfilesFile(path));

        Assert.True(error.Code is ErrorCodes.ProfileMalformed or ErrorCodes.ProfileInvalidValue, $"{what}: {error}");
        Assert.Equal(path, error.File);
    }

    [Fact]
    public void A_UTF16_file_with_a_byte_order_mark_is_read_as_text()
    {
        var path = Path.Combine(temp.Root, "utf16.yaml");
        File.WriteAllBytes(path, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Valid)).ToArray());

        Assert.Equal("my-board", DeviceCatalog.LoadProfileFile(path).Id);
    }

    [Fact]
    public void An_empty_file_is_ADA2002()
    {
        var error = Error("");
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("no device profile", error.Message);
    }

    [Fact]
    public void A_huge_scalar_is_refused_before_parsing()
    {
        var error = Error(Valid + "source: " + new string('x', 2 << 20) + "\n");
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("characters long", error.Message);
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(200, true)]
    [InlineData(5000, false)]
    public void Deep_nesting_is_ADA2002(int depth, bool block)
    {
        var nested = block
            ? string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', 2 * i) + "a:\n"))
            : "a: " + new string('[', depth) + new string(']', depth) + "\n";

        var error = Error(Valid + nested);

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
    }

    [Theory]
    [InlineData("!!python/object/apply:os.system ['id']")]
    [InlineData("!<tag:yaml.org,2002:float> 40")]
    [InlineData("!!binary aGVsbG8=")]
    public void A_tagged_value_is_ADA2002(string value)
    {
        var error = Error(Valid.Replace("peakGmacs: 20", "peakGmacs: " + value));
        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("tags", error.Message);
    }

    [Fact]
    public void A_merge_key_is_an_unknown_field_not_a_merge()
    {
        var error = Error(Valid + "<<: {dramMB: 1}\n");
        Assert.True(error.Code is ErrorCodes.ProfileMalformed or ErrorCodes.ProfileInvalidValue, error.ToString());
    }

    private AdaDeepException Error(string yaml)
    {
        var path = temp.Write("profile.yaml", yaml);
        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfilesFile(path));
        Assert.Equal(path, error.File);
        return error;
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
