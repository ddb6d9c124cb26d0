using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>A run cancelled while it searches stops with OperationCanceledException and leaves nothing behind.</summary>
public class CancellationTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public CancellationTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("single:W3")]
    [InlineData("greedy")]
    public void CancelledDuringTheSearch_Throws_AndLeavesNoOutputStagingOrCacheEntry(string optimizer)
    {
        var folder = _fixture.NewFolder("cancel");
        var request = _fixture.Request(folder, optimizer);
        using var cancellation = new CancellationTokenSource();
        var searchReports = 0;
        var stagesAfterCancel = new List<string>();
        var progress = new InlineProgress(p =>
        {
            if (cancellation.IsCancellationRequested)
            {
                stagesAfterCancel.Add(p.Stage);
            }
            else if (p.Stage == "search" && ++searchReports == 2)
            {
                // The second search report comes from inside the strategy (the first announces the stage).
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => new CompressPipeline(progress).Run(request, cancellation.Token));

        Assert.Equal(2, searchReports);
        Assert.DoesNotContain("write", stagesAfterCancel);
        var outputFolder = Path.GetDirectoryName(request.OutputPath)!;
        Assert.Empty(FaultRequests.Files(outputFolder));
        Assert.Empty(FaultRequests.Leftovers(outputFolder));
        var cache = CacheStore.Open(request.CacheDir);
        Assert.Empty(cache.List());
        Assert.Empty(Directory.GetDirectories(cache.VersionDirectory, ".tmp-*"));

        // The cancelled run released its key lock: the next run goes straight through and publishes.
        var again = new CompressPipeline().Run(request);
        Assert.False(again.CacheHit);
        Assert.Single(cache.List());
    }
}

/// <summary>IProgress that reports on the calling thread, so a test can act at an exact point of the run.</summary>
internal sealed class InlineProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
{
    public void Report(PipelineProgress value) => report(value);
}
