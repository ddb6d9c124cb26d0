using AdaDeep.Cli.Commands;
using AdaDeep.Cli.Project;
using AdaDeep.Engine.Cache;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>
/// `adadeep warm --shard i/n` and `--cache-url`: a CI matrix of n warm jobs, each on its own machine (project copy and
/// local cache), fills one shared cache (a real nginx with WebDAV PUT) with every item × device job exactly once.
/// </summary>
public sealed class WarmShardTests : IClassFixture<NginxWebDav>
{
    private const string Items = """
        <AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="10" />
        <AdaDeepModel Include="models/lenet.onnx" Device="sony-sw3" LatencyBudgetMs="10" />
        """;

    private static readonly string[] Devices = { "sony-sw3", "xiaomi-mi6", "huawei-p9", "firefly-rk3399" };

    private readonly NginxWebDav _nginx;

    public WarmShardTests(NginxWebDav nginx) => _nginx = nginx;

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void Shards_are_disjoint_cover_every_job_once_and_do_not_depend_on_the_listing_order(int count)
    {
        using var project = new TestProject(Items);
        var plan = project.Plan(devices: Devices);
        var all = WarmRunner.Jobs(plan).Select(j => j.Model.Key!).ToList();
        Assert.Equal(8, all.Count);

        var shards = Enumerable.Range(1, count).Select(i => WarmRunner.Shard(plan, i, count).Select(j => j.Model.Key!).ToList()).ToList();
        Assert.Equal(all.Order(StringComparer.Ordinal), shards.SelectMany(s => s).Order(StringComparer.Ordinal));
        Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1);

        // Another machine listing the devices in another order computes the same split.
        var reversed = project.Plan(devices: Devices.Reverse().ToArray());
        for (var i = 1; i <= count; i++)
        {
            Assert.Equal(shards[i - 1], WarmRunner.Shard(reversed, i, count).Select(j => j.Model.Key!));
        }
    }

    [Theory]
    [InlineData("1/2", 1, 2)]
    [InlineData("4/4", 4, 4)]
    [InlineData("0/2", null, null)]
    [InlineData("3/2", null, null)]
    [InlineData("1/0", null, null)]
    [InlineData("a/b", null, null)]
    [InlineData("1", null, null)]
    [InlineData("-1/2", null, null)]
    public void Shard_text_is_i_of_n(string text, int? index, int? count)
    {
        var parsed = WarmCommand.ParseShard(text);
        Assert.Equal(index, parsed?.Index);
        Assert.Equal(count, parsed?.Count);
    }

    [Fact]
    public void Two_shards_on_two_machines_fill_the_shared_cache_and_a_third_machine_compresses_nothing()
    {
        var url = _nginx.NewCacheUrl();
        using var first = new TestProject(Items);
        using var second = new TestProject(Items);
        var one = new RecordingCompressor();
        var two = new RecordingCompressor();

        var (exit1, output1, error1) = Warm(first, one, url, (1, 2));
        var (exit2, output2, error2) = Warm(second, two, url, (2, 2));

        Assert.True(exit1 == 0, error1);
        Assert.True(exit2 == 0, error2);
        Assert.Equal(4, one.Jobs.Count);
        Assert.Equal(4, two.Jobs.Count);
        Assert.Empty(one.Jobs.Intersect(two.Jobs));
        Assert.Equal(8, one.Jobs.Union(two.Jobs).Count());
        Assert.Contains("4 cache key(s) (shard 1/2 of 8 key(s)): 4 compressed", output1);
        Assert.Contains("0 hit(s), 4 miss(es), 4 upload(s)", output1);
        Assert.Equal(8, _nginx.Files(url).Count(f => f.StartsWith("ac/", StringComparison.Ordinal)));

        // A third machine (fresh cache) downloads everything and starts no engine; its builds would all be hits.
        using var third = new TestProject(Items);
        var three = new RecordingCompressor();
        var (exit3, output3, error3) = Warm(third, three, url, null);
        Assert.True(exit3 == 0, error3);
        Assert.Empty(three.Jobs);
        Assert.Contains("0 compressed, 8 already cached, 0 failed", output3);
        Assert.Contains("8 hit(s), 0 miss(es), 0 upload(s)", output3);
        Assert.All(third.Plan(devices: Devices).Models, m => Assert.True(m.IsCached));
    }

    [Fact]
    public void Entries_found_only_locally_are_uploaded_by_warm()
    {
        using var project = new TestProject(Items);
        var compressor = new RecordingCompressor();
        Assert.Equal(0, Warm(project, compressor, null, null).Exit);
        Assert.Equal(8, compressor.Jobs.Count);

        var url = _nginx.NewCacheUrl();
        var (exit, output, error) = Warm(project, compressor, url, null);
        Assert.True(exit == 0, error);
        Assert.Equal(8, compressor.Jobs.Count);
        Assert.Contains("0 hit(s), 0 miss(es), 8 upload(s)", output);
        Assert.Equal(8, _nginx.Files(url).Count(f => f.StartsWith("ac/", StringComparison.Ordinal)));
    }

    private static (int Exit, string Output, string Error) Warm(TestProject project, IModelCompressor compressor, string? url, (int, int)? shard)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var selection = new ProjectSelection(project.ProjectPath, null, Devices, new Dictionary<string, string>());
        Func<Func<string, string?>, RemoteCache?>? open = url is null
            ? null
            : _ => RemoteCache.Open(RemoteCacheOptions.Resolve(url), w => error.WriteLine(w.ToString()));
        var exit = WarmCommand.Run(selection, "lines", compressor, output, error, CancellationToken.None, shard, open);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Stands in for the engine: copies the model and writes a result; records each job as "model → device".</summary>
    private sealed class RecordingCompressor : IModelCompressor
    {
        public List<string> Jobs { get; } = new();

        public CompressedFiles Compress(ModelVariant model, string cacheRoot, string workDirectory, Action<double, string> progress, CancellationToken cancellation)
        {
            Jobs.Add(model.Item.Include + " → " + model.Device);
            var output = Path.Combine(workDirectory, CacheStore.ModelFileName);
            File.Copy(model.Settings.ModelPath, output);
            var result = Path.Combine(workDirectory, CacheStore.ResultJsonFileName);
            File.WriteAllText(result, $"{{\"outputSha256\": \"{CacheKey.HashFile(output)}\", \"device\": \"{model.Device}\"}}");
            return new CompressedFiles(new Dictionary<string, string> { [CacheStore.ModelFileName] = output, [CacheStore.ResultJsonFileName] = result }, null, Array.Empty<string>());
        }
    }
}
