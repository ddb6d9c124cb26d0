using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>A cache folder that cannot be written costs a warning (ADA5001), never the run.</summary>
public class CacheRootIsAFileTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public CacheRootIsAFileTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void CacheRootThatIsAFile_WarnsADA5001_AndTheRunSucceeds()
    {
        var folder = _fixture.NewFolder("ro-file");
        // Tests run as root here, where chmod 0555 does not stop writes; a file in the folder's place stops everyone.
        var blocked = Path.Combine(folder, "cache-is-a-file");
        File.WriteAllText(blocked, "not a folder");
        var request = _fixture.Request(folder, cacheDir: blocked);

        var result = new CompressPipeline().Run(request);

        Assert.Contains(result.Warnings, w => w.Contains("warning ADA5001", StringComparison.Ordinal));
        Assert.True(File.Exists(request.OutputPath));
        Assert.Equal(result.OutputSha256, Engine.Cache.CacheKey.HashFile(request.OutputPath));
        Assert.Equal("not a folder", File.ReadAllText(blocked));
    }

    [Fact]
    public void HitFromTheFallbackCache_StillReportsThisRunsADA5001()
    {
        var folder = _fixture.NewFolder("ro-hit");
        var blockedFirst = Path.Combine(folder, "first-cache-is-a-file");
        var blockedSecond = Path.Combine(folder, "second-cache-is-a-file");
        File.WriteAllText(blockedFirst, "x");
        File.WriteAllText(blockedSecond, "x");
        new CompressPipeline().Run(_fixture.Request(folder, cacheDir: blockedFirst));

        var second = new CompressPipeline().Run(_fixture.Request(folder, cacheDir: blockedSecond));

        // Both runs fell back to the same temporary cache, so the second is a hit; its warnings are still its own.
        Assert.True(second.CacheHit);
        Assert.Contains(second.Warnings, w => w.Contains("warning ADA5001", StringComparison.Ordinal) && w.Contains(blockedSecond, StringComparison.Ordinal));
    }
}
