using AdaDeep.Engine.Pipeline;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Commands;

/// <summary>
/// `adadeep compress --cache-url` with the real engine against a real nginx: a fresh run uploads, a run on another
/// machine (another --cache-dir) finds the entry remotely and ships the same bytes as a cache hit, and
/// --cache-read-only never writes.
/// </summary>
public sealed class CompressRemoteCacheTests : TempFolderTest, IClassFixture<NginxWebDav>
{
    private readonly NginxWebDav _nginx;

    public CompressRemoteCacheTests(NginxWebDav nginx) => _nginx = nginx;

    [Fact]
    public void A_second_machine_gets_the_first_ones_result_from_the_remote_cache()
    {
        var url = _nginx.NewCacheUrl();
        var model = Path.Combine(Folder, "mlp.onnx");
        TinyModels.Mlp().Save(model);

        var first = Compress(model, "a", url);
        Assert.True(first.Exit == 0, first.Error);
        Assert.False(first.Result.CacheHit);
        Assert.Contains(_nginx.Files(url), f => f.StartsWith("ac/", StringComparison.Ordinal));

        var second = Compress(model, "b", url);
        Assert.True(second.Exit == 0, second.Error);
        Assert.True(second.Result.CacheHit);
        Assert.Equal(File.ReadAllBytes(first.Output), File.ReadAllBytes(second.Output));

        var readOnlyUrl = _nginx.NewCacheUrl();
        var third = Compress(model, "c", readOnlyUrl, "--cache-read-only");
        Assert.True(third.Exit == 0, third.Error);
        Assert.False(third.Result.CacheHit);
        Assert.Empty(_nginx.Files(readOnlyUrl));
    }

    private (int Exit, string Error, string Output, CompressResult Result) Compress(string model, string machine, string url, params string[] extra)
    {
        var output = Path.Combine(Folder, machine, "mlp.sony-sw3.onnx");
        var result = Path.Combine(Folder, machine, "result.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var run = CliRunner.Run(new[]
        {
            "compress", model, "--device", "sony-sw3", "--optimizer", "greedy", "--time-budget", "2", "--output", output,
            "--result-json", result, "--cache-dir", Path.Combine(Folder, machine, "cache"), "--cache-url", url, "--progress", "none",
        }.Concat(extra).ToArray());
        return (run.ExitCode, run.Error, output, run.ExitCode == 0 ? CompressResult.FromJson(File.ReadAllText(result)) : null!);
    }
}
