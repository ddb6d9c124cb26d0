using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>Two clean runs (fresh folders, no cache) with one seed agree on the model and on every result field that
/// does not measure time.</summary>
public class ReproducibilityTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public ReproducibilityTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("single:W3")]
    [InlineData("greedy")]
    public void TwoCleanRunsWithOneSeed_GiveTheSameModelAndResultFields(string optimizer)
    {
        var requests = new[] { _fixture.NewFolder("repro-a"), _fixture.NewFolder("repro-b") }
            .Select(f => _fixture.Request(f, optimizer, useCache: false)).ToArray();
        var results = requests.Select(r => new CompressPipeline().Run(r)).ToArray();
        var fromDisk = requests.Select(r => CompressResult.FromJson(File.ReadAllText(r.ResultJsonPath!))).ToArray();

        Assert.Equal(File.ReadAllBytes(requests[0].OutputPath), File.ReadAllBytes(requests[1].OutputPath));
        foreach (var pair in new[] { results, fromDisk })
        {
            Assert.Equal(pair[0].OutputSha256, pair[1].OutputSha256);
            Assert.Equal(pair[0].Techniques, pair[1].Techniques);
            Assert.Equal(pair[0].LayerChoices, pair[1].LayerChoices);
            Assert.Equal(pair[0].SizeBytes, pair[1].SizeBytes);
            Assert.Equal(pair[0].Macs, pair[1].Macs);
            Assert.Equal(pair[0].Accuracy, pair[1].Accuracy);
            Assert.Equal(pair[0].StorageMB, pair[1].StorageMB);
            Assert.Equal(pair[0].EnergyMJ, pair[1].EnergyMJ);
            Assert.Equal(pair[0].EstimatedLatencyMs, pair[1].EstimatedLatencyMs);
            Assert.Equal(pair[0].CandidatesSeen, pair[1].CandidatesSeen);
            Assert.Equal(pair[0].CacheKey, pair[1].CacheKey);
            Assert.Equal(pair[0].Seed, pair[1].Seed);
        }

        Assert.Equal(results[0].OutputSha256, fromDisk[0].OutputSha256);
    }
}
