using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>
/// The MSBuild task and `adadeep warm` hold the build's lock for a key while they run the engine on it, and the
/// engine's key is the same by design: the engine must not wait on that lock (it would wait on its own caller).
/// </summary>
public class NestedLockTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public NestedLockTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task EngineRunByACallerThatHoldsTheBuildsLock_DoesNotWaitOnIt()
    {
        var folder = _fixture.NewFolder("nested");
        var request = _fixture.Request(folder);
        var cache = CacheStore.Open(request.CacheDir);
        var key = EngineCacheKey.For(request, OnnxModel.Load(request.ModelPath!));
        var waited = false;

        using (cache.AcquireLock(key, TimeSpan.FromSeconds(5), CancellationToken.None))
        {
            var progress = new InlineProgress(p => waited |= p.Message.Contains("waiting", StringComparison.Ordinal));
            var run = Task.Run(() => new CompressPipeline(progress).Run(request));
            // A guard against a hang, not a timing check: the run takes about a second.
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.True(finished == run, "the engine waited on the lock its caller holds");
            Assert.Equal(key, (await run).CacheKey);
        }

        Assert.False(waited);
        Assert.NotNull(cache.TryGet(key));
    }
}
