using AdaDeep.Compression.Data;
using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

public class CompressPipelineTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public CompressPipelineTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Compress_WritesAModelThatRunsInOrt_WithItsReportAndResult()
    {
        var folder = _fixture.NewFolder("run");
        var request = _fixture.Request(folder, optimizer: "greedy");

        var result = new CompressPipeline().Run(request);

        var written = OnnxModel.Load(request.OutputPath);
        var y = OrtRunner.Run(written, TinyModels.Weights(144, 5), new[] { 1, 1, 12, 12 });
        Assert.Equal(10, y.Length);
        Assert.Equal(CacheKey.HashFile(request.OutputPath), result.OutputSha256);
        Assert.Equal(new FileInfo(request.OutputPath).Length, result.SizeBytes);
        Assert.True(File.Exists(Path.Combine(folder, "out", "lenet.report.md")));
        Assert.True(File.Exists(Path.Combine(folder, "out", "lenet.report.json")));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(folder, "out", "lenet.report.svg")));
        Assert.Contains("Search report", File.ReadAllText(Path.Combine(folder, "out", "lenet.report.md")));
        var fromDisk = CompressResult.FromJson(File.ReadAllText(request.ResultJsonPath!));
        Assert.Equal(result.OutputSha256, fromDisk.OutputSha256);
        Assert.Equal("greedy", fromDisk.Optimizer);
        Assert.False(result.AccuracyIsAgreement);
        Assert.Equal(1.0, result.OriginalAccuracy);
        Assert.Equal(4, result.LayerChoices.Count);
        Assert.False(result.CacheHit);
    }

    [Fact]
    public void SearchMessage_NamesEpisodes_AndTheClosingPolicyRollout()
    {
        var episode = new SearchProgress("dqn", 7, 60, 0.5, 1.3981, BestMeetsBudgets: true, TimeSpan.FromSeconds(3));
        var rollout = episode with { Episode = 60, IsFinalPolicy = true };

        Assert.Equal("episode 7/60, best reward 1.398 (meets budgets)", CompressPipeline.SearchMessage(episode));
        Assert.Equal("final rollout of the learned policy, best reward 1.398 (meets budgets)", CompressPipeline.SearchMessage(rollout));
        Assert.Equal("episode 7/60, best reward 1.398", CompressPipeline.SearchMessage(episode with { BestMeetsBudgets = false }));
    }

    [Fact]
    public void SecondRun_HitsTheCache_AndWritesTheSameBytes()
    {
        var folder = _fixture.NewFolder("cache");
        var first = new CompressPipeline().Run(_fixture.Request(folder));
        var firstBytes = File.ReadAllBytes(_fixture.Request(folder).OutputPath);
        File.Delete(_fixture.Request(folder).OutputPath);

        var second = new CompressPipeline().Run(_fixture.Request(folder));

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(firstBytes, File.ReadAllBytes(_fixture.Request(folder).OutputPath));
        Assert.Equal(first.CacheKey, second.CacheKey);
        Assert.Single(CacheStore.Open(_fixture.Request(folder).CacheDir).List());
    }

    [Fact]
    public void FailIfBudgetsNotMet_FailsOnAMissAndOnAHit_AndWritesNothing()
    {
        var folder = _fixture.NewFolder("fail-gate");
        // An unreachable latency budget: the closest model misses it.
        var lenient = _fixture.Request(folder) with { LatencyBudgetMs = 1e-6 };
        var strict = lenient with { FailIfBudgetsNotMet = true };

        var miss = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(strict));
        Assert.Equal(ErrorCodes.BudgetNotMet, miss.Code);
        Assert.False(File.Exists(strict.OutputPath));

        var cached = new CompressPipeline().Run(lenient);
        Assert.False(cached.BudgetsMet);
        File.Delete(lenient.OutputPath);

        var hit = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(strict));
        Assert.Equal(ErrorCodes.BudgetNotMet, hit.Code);
        Assert.Contains("latencyMs", hit.Message);
        Assert.False(File.Exists(strict.OutputPath));
    }

    [Fact]
    public void SameInputsAndSeed_GiveTheSameBytes()
    {
        var a = _fixture.NewFolder("det-a");
        var b = _fixture.NewFolder("det-b");
        var first = new CompressPipeline().Run(_fixture.Request(a, useCache: false));
        var second = new CompressPipeline().Run(_fixture.Request(b, useCache: false));

        Assert.Equal(first.OutputSha256, second.OutputSha256);
        Assert.Equal(File.ReadAllBytes(_fixture.Request(a).OutputPath), File.ReadAllBytes(_fixture.Request(b).OutputPath));
    }

    [Fact]
    public void W3_ShrinksTheFileThatShips()
    {
        // W3 prunes 80 % of the tiny LeNet's weights and one epoch recovers little (about 17 % agreement): only an
        // accuracy floor the user sets that low lets the validation gate ship it.
        var result = new CompressPipeline().Run(_fixture.Request(_fixture.NewFolder("w3"), useCache: false) with { MaxAccuracyDrop = 0.95 });

        Assert.True(result.Techniques.Contains("W3", StringComparison.Ordinal), string.Join("\n", result.Warnings));
        Assert.True(result.SizeBytes < result.OriginalSizeBytes, $"{result.SizeBytes} should be below {result.OriginalSizeBytes}");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    public void InvalidLatencyBudget_IsRejected_AndNothingIsWritten(double budget)
    {
        var folder = _fixture.NewFolder("bad-budget");
        var request = _fixture.Request(folder) with { LatencyBudgetMs = budget };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.BudgetInvalid, e.Code);
        AssertNothingWritten(folder);
    }

    [Fact]
    public void UnknownDevice_IsRejected_AndNothingIsWritten()
    {
        var folder = _fixture.NewFolder("bad-device");
        var request = _fixture.Request(folder) with { Device = "sony-sw9" };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.DeviceUnknown, e.Code);
        Assert.Contains("sony-sw3", e.Message);
        AssertNothingWritten(folder);
    }

    [Fact]
    public void DatasetOfTheWrongShape_IsRejected_AndNothingIsWritten()
    {
        var folder = _fixture.NewFolder("bad-data");
        var data = Path.Combine(folder, "wrong.npz");
        DataFileWriter.SaveNpz(data, new Dictionary<string, byte[]>
        {
            ["x"] = DataFileWriter.Npy("<f4", new[] { 4, 3, 5, 5 }, DataFileWriter.Floats(new float[4 * 75])),
        });
        var request = _fixture.Request(folder) with { DatasetPath = data };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.DatasetShapeMismatch, e.Code);
        AssertNothingWritten(folder);
    }

    [Fact]
    public void CorruptModel_IsRejected_AndNothingIsWritten()
    {
        var folder = _fixture.NewFolder("bad-model");
        var model = Path.Combine(folder, "cut.onnx");
        var bytes = File.ReadAllBytes(_fixture.ModelPath);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 3)]);
        var request = _fixture.Request(folder) with { ModelPath = model };

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.StartsWith("ADA1", e.Code);
        Assert.Equal(model, e.File);
        AssertNothingWritten(folder);
    }

    private static void AssertNothingWritten(string folder)
    {
        Assert.False(Directory.Exists(Path.Combine(folder, "out")) && Directory.EnumerateFileSystemEntries(Path.Combine(folder, "out")).Any());
        var cache = Path.Combine(folder, "cache");
        Assert.True(!Directory.Exists(cache) || CacheStore.Open(cache).List().Count == 0);
    }
}
