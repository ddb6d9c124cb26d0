using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Tests.Cache;

/// <summary>The parts of the remote cache that need no server: the action entry's protobuf, the settings, the credentials.</summary>
public class RemoteCacheUnitTests
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = new('b', 64);

    [Fact]
    public void Action_entry_round_trips_and_is_the_protobuf_bazel_expects()
    {
        var files = new[] { new BazelOutputFile("result.json", ShaB, 300), new BazelOutputFile("model.onnx", ShaA, 7208) };
        var bytes = BazelActionResult.Encode(files);

        // ActionResult.output_files (field 2, length-delimited) → OutputFile.path (field 1) comes first, in path order.
        Assert.Equal(0x12, bytes[0]);
        Assert.Equal(0x0A, bytes[2]);
        Assert.Equal("model.onnx", System.Text.Encoding.UTF8.GetString(bytes, 4, bytes[3]));
        var decoded = BazelActionResult.Decode(bytes);
        Assert.Equal(new[] { "model.onnx", "result.json" }, decoded.Select(f => f.Path));
        Assert.Equal(new[] { ShaA, ShaB }, decoded.Select(f => f.Sha256));
        Assert.Equal(new[] { 7208L, 300L }, decoded.Select(f => f.SizeBytes));
    }

    [Fact]
    public void Unknown_fields_are_skipped_and_damaged_entries_are_format_errors()
    {
        var known = BazelActionResult.Encode(new[] { new BazelOutputFile("model.onnx", ShaA, 1) });
        // exit_code (field 4, varint 0) and stdout_raw (field 5, bytes) as Bazel writes them.
        var withExtras = new byte[] { 0x20, 0x00, 0x2A, 0x02, 0x68, 0x69 }.Concat(known).ToArray();
        Assert.Equal("model.onnx", Assert.Single(BazelActionResult.Decode(withExtras)).Path);

        Assert.Throws<FormatException>(() => BazelActionResult.Decode(known.Take(known.Length - 3).ToArray()));
        Assert.Throws<FormatException>(() => BazelActionResult.Decode(new byte[] { 0x12, 0x7F, 0x01 }));
        Assert.Throws<FormatException>(() => BazelActionResult.Decode(BazelActionResult.Encode(new[] { new BazelOutputFile("model.onnx", "not-a-sha", 1) })));
        Assert.Throws<FormatException>(() => BazelActionResult.Decode(new byte[] { 0x0B }));
        Assert.Empty(BazelActionResult.Decode(Array.Empty<byte>()));
    }

    [Fact]
    public void Settings_come_from_the_arguments_then_the_environment()
    {
        Assert.Null(RemoteCacheOptions.Resolve(null));
        var options = RemoteCacheOptions.Resolve("http://cache.example:8080/team", "true", "2.5")!;
        Assert.Equal("http://cache.example:8080/team/", options.BaseUri.ToString());
        Assert.True(options.ReadOnly);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Timeout);
        Assert.Equal(RemoteCacheOptions.DefaultTimeout, RemoteCacheOptions.Resolve("https://cache.example/")!.Timeout);
        Assert.False(RemoteCacheOptions.Resolve("https://cache.example/", "")!.ReadOnly);

        var azure = RemoteCacheOptions.Resolve("azblob://account/container/team")!;
        Assert.True(azure.IsAzureBlob);
        Assert.Equal("azblob://account/container/team/", azure.DisplayUrl);
        Assert.False(options.IsAzureBlob);
        Assert.Throws<FormatException>(() => RemoteCacheOptions.Resolve("azblob://account"));
        Assert.Throws<FormatException>(() => RemoteCache.Open(azure, _ => { }));
        Assert.Throws<FormatException>(() => RemoteCacheOptions.Resolve("ftp://cache.example/"));
        Assert.Throws<FormatException>(() => RemoteCacheOptions.Resolve("cache.example"));
        Assert.Throws<FormatException>(() => RemoteCacheOptions.Resolve("http://cache.example/", "maybe"));
        Assert.Throws<FormatException>(() => RemoteCacheOptions.Resolve("http://cache.example/", null, "0"));
    }

    [Fact]
    public void Url_credentials_become_basic_auth_and_are_never_shown()
    {
        var options = RemoteCacheOptions.Resolve("https://ci:p%40ss@cache.example/x?sig=abc")!;
        Assert.Equal("https://cache.example/x/", options.DisplayUrl);
        Assert.DoesNotContain("p%40ss", options.BaseUri.ToString());
        Assert.DoesNotContain("sig", options.BaseUri.ToString());
        Assert.Equal("basic", options.Credentials.ToString());
        var header = options.Credentials.Header()!;
        Assert.Equal("Basic", header.Scheme);
        Assert.Equal("ci:p@ss", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter!)));

        var e = Assert.Throws<FormatException>(() => RemoteCacheOptions.Resolve("ftp://ci:hunter2@cache.example/"));
        Assert.DoesNotContain("hunter2", e.Message);
    }
}
