using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>Two runs of the same model at once, sharing a cache: the per-key lock makes one compress and the other reuse it.</summary>
public class ConcurrentRunTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public ConcurrentRunTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task TwoParallelRunsOfOneKey_CompressOnce_AndWriteTheSameBytes()
    {
        var cacheDir = _fixture.NewFolder("shared-cache");
        var requests = new[] { _fixture.NewFolder("par-a"), _fixture.NewFolder("par-b") }
            .Select(f => _fixture.Request(f, cacheDir: cacheDir)).ToArray();
        var searched = new int[2];
        using var start = new Barrier(2);

        var runs = Enumerable.Range(0, 2).Select(i => Task.Factory.StartNew(() =>
        {
            var progress = new InlineProgress(p =>
            {
                if (p.Stage == "search")
                {
                    Interlocked.Increment(ref searched[i]);
                }
            });
            start.SignalAndWait();
            return new CompressPipeline(progress).Run(requests[i]);
        }, TaskCreationOptions.LongRunning)).ToArray();
        var results = await Task.WhenAll(runs);

        // Exactly one run did the work; the other found its entry (before or after waiting for the lock).
        Assert.Equal(1, results.Count(r => !r.CacheHit));
        Assert.Equal(1, searched.Count(n => n > 0));
        Assert.Equal(results[0].OutputSha256, results[1].OutputSha256);
        Assert.Equal(File.ReadAllBytes(requests[0].OutputPath), File.ReadAllBytes(requests[1].OutputPath));
        var cache = CacheStore.Open(cacheDir);
        var entry = Assert.Single(cache.List());
        Assert.NotNull(cache.TryGet(entry.Key));
        Assert.Empty(Directory.GetDirectories(cache.VersionDirectory, ".tmp-*"));
    }
}
