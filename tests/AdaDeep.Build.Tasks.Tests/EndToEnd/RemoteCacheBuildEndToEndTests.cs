using AdaDeep.TestUtilities;

namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// Two CI runners (two project folders, two local caches) sharing one nginx WebDAV cache through real `dotnet build`s:
/// the properties of AdaDeep.Build.props reach the task, runner B embeds the very bytes runner A compressed without
/// starting its tool, and a read-only build of an untrusted change writes nothing.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(EndToEndCollection.Name)]
public class RemoteCacheBuildEndToEndTests : IClassFixture<NginxWebDav>
{
    private const string LogicalName = "AdaDeep.mlp.onnx";
    private readonly NginxWebDav _nginx;

    public RemoteCacheBuildEndToEndTests(NginxWebDav nginx) => _nginx = nginx;

    [Fact]
    public void Runner_B_embeds_what_runner_A_compressed_without_compressing_and_read_only_writes_nothing()
    {
        var url = _nginx.NewCacheUrl();
        using var a = new BuildHarness();
        using var b = new BuildHarness();

        var (exitA, outputA) = a.Build($"-p:AdaDeepCacheUrl={url}");
        Assert.True(exitA == 0, outputA);
        Assert.Equal(1, a.ToolRuns);
        Assert.Contains("[cache miss", outputA);
        Assert.Contains("0 hit(s), 1 miss(es), 1 upload(s)", outputA);
        Assert.Contains(_nginx.Files(url), f => f.StartsWith("ac/", StringComparison.Ordinal));

        var (exitB, outputB) = b.Build($"-p:AdaDeepCacheUrl={url}");
        Assert.True(exitB == 0, outputB);
        Assert.Equal(0, b.ToolRuns);
        Assert.Contains("[remote cache hit", outputB);
        Assert.Contains("1 hit(s), 0 miss(es), 0 upload(s)", outputB);
        var embeddedA = BuildHarness.ReadResource(Path.Combine(a.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), LogicalName);
        var embeddedB = BuildHarness.ReadResource(Path.Combine(b.ProjectDirectory, "bin", "Debug", "net10.0", "App.dll"), LogicalName);
        Assert.NotNull(embeddedA);
        Assert.Equal(embeddedA, embeddedB);

        // An untrusted change (another latency budget: another key), read-only through the environment's spelling.
        var before = _nginx.Files(url);
        using var pr = new BuildHarness();
        var (exitPr, outputPr) = pr.Build($"-p:AdaDeepCacheUrl={url}", "-p:AdaDeepCacheReadOnly=true", "-p:TestLatency=7");
        Assert.True(exitPr == 0, outputPr);
        Assert.Equal(1, pr.ToolRuns);
        Assert.Contains("(read-only): 0 hit(s), 1 miss(es), 0 upload(s)", outputPr);
        Assert.Equal(before, _nginx.Files(url));
    }
}
