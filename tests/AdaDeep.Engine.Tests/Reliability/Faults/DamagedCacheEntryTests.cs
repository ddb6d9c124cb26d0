using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>A cache entry damaged on disk is never served: the next run misses, recompresses and republishes.</summary>
public class DamagedCacheEntryTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public DamagedCacheEntryTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData(CacheStore.ModelFileName, "flip")]
    [InlineData(CacheStore.ModelFileName, "truncate")]
    [InlineData(OutputWriter.ResultFileName, "flip")]
    [InlineData(CacheStore.ManifestFileName, "truncate")]
    public void DamagedEntry_IsAMiss_AndTheRunRecompressesAndRepublishes(string damagedFile, string damage)
    {
        var folder = _fixture.NewFolder("damaged");
        var request = _fixture.Request(folder);
        var first = new CompressPipeline().Run(request);
        var goodBytes = File.ReadAllBytes(request.OutputPath);
        var cache = CacheStore.Open(request.CacheDir);
        var path = Path.Combine(cache.EntryDirectory(first.CacheKey!), damagedFile);
        var bytes = File.ReadAllBytes(path);
        if (damage == "flip")
        {
            for (var i = bytes.Length / 2; i < Math.Min(bytes.Length, bytes.Length / 2 + 8); i++)
            {
                bytes[i] ^= 0xFF;
            }

            File.WriteAllBytes(path, bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        }

        File.Delete(request.OutputPath);
        var second = new CompressPipeline().Run(request);

        Assert.False(first.CacheHit);
        Assert.False(second.CacheHit);
        Assert.Equal(goodBytes, File.ReadAllBytes(request.OutputPath));
        var entry = Assert.Single(cache.List());
        Assert.NotNull(cache.TryGet(entry.Key));
        Assert.Equal(goodBytes, File.ReadAllBytes(entry.ModelPath));

        // And the republished entry serves the run after.
        Assert.True(new CompressPipeline().Run(request).CacheHit);
    }
}
