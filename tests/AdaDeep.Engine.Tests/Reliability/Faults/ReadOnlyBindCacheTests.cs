using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>A cache folder on a read-only mount (which stops root, unlike chmod 0555) costs ADA5001, never the run.</summary>
public class ReadOnlyBindCacheTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public ReadOnlyBindCacheTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [MountFact]
    public void ReadOnlyCacheFolder_WarnsADA5001_AndTheRunSucceeds()
    {
        var folder = _fixture.NewFolder("ro-bind");
        var cacheDir = Directory.CreateDirectory(Path.Combine(folder, "cache")).FullName;
        var request = _fixture.Request(folder, cacheDir: cacheDir);

        using (Mounts.ReadOnly(cacheDir))
        {
            var result = new CompressPipeline().Run(request);

            Assert.Contains(result.Warnings, w => w.Contains("warning ADA5001", StringComparison.Ordinal) && w.Contains(cacheDir, StringComparison.Ordinal));
            Assert.Equal(result.OutputSha256, Engine.Cache.CacheKey.HashFile(request.OutputPath));
            Assert.Empty(Directory.EnumerateFileSystemEntries(cacheDir));
        }
    }
}
