using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// Honest splits, checked by sample identity: every sample the pipeline hands to the search or to fine-tuning is
/// fingerprinted by its values, and none may be a sample of the test split the reported accuracy comes from.
/// </summary>
public class InputDataTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public InputDataTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void TwoPartIdxFolder_TrainsOnTrain_ReportsOnT10k_AndNeverSearchesOrFineTunesOnATestSample()
    {
        var folder = _fixture.NewFolder("idx");
        var mnist = WriteIdxFolder(folder, trainCount: 150, testCount: 40);
        var request = _fixture.Request(folder, useCache: false) with { DatasetPath = mnist };

        var (result, seen) = RunObserved(request);

        var test = DatasetLoader.Load(mnist, new DatasetLoadOptions(MnistPart: "t10k"));
        var train = DatasetLoader.Load(mnist, new DatasetLoadOptions(MnistPart: "train"));
        Assert.Equal(0, SampleFingerprint.CountIn(test, seen));
        Assert.True(SampleFingerprint.CountIn(train, seen) > 0, "the search and fine-tuning saw training samples");
        Assert.Equal(40, result.AccuracySamples);
        Assert.Equal("test", result.AccuracySplit);
        var testSplit = Assert.Single(result.Splits, s => s.Name == "test");
        Assert.Contains("t10k-images-idx3-ubyte", testSplit.Source);
        Assert.Equal(40, testSplit.Samples);
        Assert.Equal(150, result.Splits.Where(s => s.Name is "validation" or "fine-tune").Sum(s => s.Samples));
        Assert.All(result.Splits.Where(s => s.Name is "validation" or "fine-tune"), s => Assert.Contains("train-images-idx3-ubyte", s.Source));
    }

    [Fact]
    public void AValidationDataset_JudgesTheSearch_AllOfTheDataFineTunes_AndTheTestSplitStaysUntouched()
    {
        var folder = _fixture.NewFolder("val");
        var mnist = WriteIdxFolder(folder, trainCount: 150, testCount: 40);
        var request = _fixture.Request(folder, useCache: false) with { DatasetPath = mnist, ValidationDatasetPath = _fixture.DatasetPath };
        var model = OnnxModel.Load(_fixture.ModelPath);

        var data = InputData.LoadSplits(request, model, new List<string>());
        var (result, seen) = RunObserved(request);

        var validation = DatasetLoader.Load(_fixture.DatasetPath).ConformTo(model);
        var train = DatasetLoader.Load(mnist, new DatasetLoadOptions(MnistPart: "train"));
        var test = DatasetLoader.Load(mnist, new DatasetLoadOptions(MnistPart: "t10k"));
        Assert.Equal(validation.Count, data.Validation.Count);
        Assert.Equal(validation.Count, SampleFingerprint.CountIn(validation, SampleFingerprint.All(data.Validation)));
        Assert.Equal(0, SampleFingerprint.CountIn(validation, SampleFingerprint.All(data.FineTune)));
        Assert.Equal(150, data.FineTune.Count);
        Assert.Equal(0, SampleFingerprint.CountIn(test, seen));
        Assert.Equal(40, result.AccuracySamples);
        Assert.Contains("--validation-dataset", Assert.Single(result.Splits, s => s.Name == "validation").Source);
        Assert.NotEqual(EngineCacheKey.For(request, model), EngineCacheKey.For(request with { ValidationDatasetPath = null }, model));
    }

    [Fact]
    public void OneFileWithoutTestData_HoldsOutASeededTestSplit_ThatNothingLearnsFrom()
    {
        var folder = _fixture.NewFolder("npz");
        var request = _fixture.Request(folder, useCache: false);

        var (result, seen) = RunObserved(request);

        var model = OnnxModel.Load(_fixture.ModelPath);
        var all = DatasetLoader.Load(_fixture.DatasetPath).ConformTo(model);
        var data = InputData.LoadSplits(request, model, new List<string>());
        Assert.Equal(40, data.Test.Count); // 20 % of 200
        Assert.Equal(0, SampleFingerprint.CountIn(data.Test, seen));
        Assert.Equal(all.Count - data.Test.Count, SampleFingerprint.CountIn(all, SampleFingerprint.All(data.FineTune)) + SampleFingerprint.CountIn(all, SampleFingerprint.All(data.Validation)));
        Assert.Equal(40, result.AccuracySamples);
    }

    [Fact]
    public void TestDataset_IsMeasuredOnly_AndOverlapWithTheTrainingDataIsWarned()
    {
        var folder = _fixture.NewFolder("test-dataset");
        var testPath = Path.Combine(folder, "test.npz");
        WriteNpz(testPath, count: 30, seed: 991);
        var request = _fixture.Request(folder, useCache: false) with { TestDatasetPath = testPath };

        var (result, seen) = RunObserved(request);

        var test = DatasetLoader.Load(testPath).ConformTo(OnnxModel.Load(_fixture.ModelPath));
        Assert.Equal(0, SampleFingerprint.CountIn(test, seen));
        Assert.Equal(30, result.AccuracySamples);
        Assert.DoesNotContain(result.Warnings, w => w.Contains(ErrorCodes.TestOverlapsTraining));

        var warnings = new List<string>();
        var leaky = InputData.LoadSplits(request with { TestDatasetPath = _fixture.DatasetPath }, OnnxModel.Load(_fixture.ModelPath), warnings);
        Assert.Contains(warnings, w => w.Contains(ErrorCodes.TestOverlapsTraining) && w.Contains("200 of the 200"));
        Assert.Equal(200, leaky.Test.Count);
    }

    [Fact]
    public void TrainSamples_BoundsThePool_WithASeededChoice()
    {
        var folder = _fixture.NewFolder("bound");
        var request = _fixture.Request(folder, useCache: false) with { TrainSamples = 50 };
        var model = OnnxModel.Load(_fixture.ModelPath);

        var first = InputData.LoadSplits(request, model, new List<string>());
        var second = InputData.LoadSplits(request, model, new List<string>());

        Assert.Equal(50, first.FineTune.Count + first.Validation.Count + first.Test.Count);
        Assert.Equal(first.FineTune.X, second.FineTune.X);
        Assert.Contains("a seeded 50 of its 200 samples", first.Splits.Single(s => s.Name == "fine-tune").Source);
        var e = Assert.Throws<AdaDeepException>(() => InputData.LoadSplits(request with { TrainSamples = 0 }, model, new List<string>()));
        Assert.Equal(ErrorCodes.TrainSamplesInvalid, e.Code);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_distillation_weight_outside_zero_to_one_is_ADA3402(double weight)
    {
        var request = _fixture.Request(_fixture.NewFolder("alpha"), useCache: false) with { DistillationWeight = weight };

        var e = Assert.Throws<AdaDeepException>(() => InputData.LoadSplits(request, OnnxModel.Load(_fixture.ModelPath), new List<string>()));

        Assert.Equal(ErrorCodes.FineTuneSettingInvalid, e.Code);
        Assert.Contains("--distillation-weight", e.Message);
    }

    /// <summary>Runs the request, collecting the fingerprint of every sample handed to the search or to fine-tuning.</summary>
    private static (CompressResult Result, HashSet<string> Seen) RunObserved(CompressRequest request)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var consumers = new HashSet<string>();
        var hooks = new PipelineHooks
        {
            DataObserver = (consumer, data) =>
            {
                consumers.Add(consumer);
                seen.UnionWith(SampleFingerprint.All(data));
            },
        };

        var result = new CompressPipeline(null, hooks).Run(request);
        Assert.Contains(PipelineHooks.SearchConsumer, consumers);
        Assert.Contains(PipelineHooks.FineTuneConsumer, consumers); // single:W3 fine-tunes
        return (result, seen);
    }

    /// <summary>An MNIST-style folder (12×12 images) with both parts, labelled by the fixture model's own top-1.</summary>
    private string WriteIdxFolder(string folder, int trainCount, int testCount)
    {
        var mnist = Directory.CreateDirectory(Path.Combine(folder, "mnist")).FullName;
        var model = OnnxModel.Load(_fixture.ModelPath);
        foreach (var (part, count, seed) in new[] { ("train", trainCount, 5), ("t10k", testCount, 6) })
        {
            var rng = new Random(seed);
            var pixels = new byte[count * 144];
            rng.NextBytes(pixels);
            var labels = new byte[count];
            for (var i = 0; i < count; i++)
            {
                var y = OrtRunner.Run(model, pixels.AsSpan(i * 144, 144).ToArray().Select(p => (float)p).ToArray(), new[] { 1, 1, 12, 12 });
                labels[i] = (byte)Array.IndexOf(y, y.Max());
            }

            File.WriteAllBytes(Path.Combine(mnist, $"{part}-images-idx3-ubyte"), DataFileWriter.Idx(new[] { count, 12, 12 }, pixels));
            File.WriteAllBytes(Path.Combine(mnist, $"{part}-labels-idx1-ubyte"), DataFileWriter.Idx(new[] { count }, labels));
        }

        return mnist;
    }

    private void WriteNpz(string path, int count, int seed)
    {
        var model = OnnxModel.Load(_fixture.ModelPath);
        var x = TinyModels.Weights(count * 144, seed: seed, scale: 1f);
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var y = OrtRunner.Run(model, x.AsSpan(i * 144, 144).ToArray(), new[] { 1, 1, 12, 12 });
            labels[i] = Array.IndexOf(y, y.Max());
        }

        DataFileWriter.SaveNpz(path, new Dictionary<string, byte[]>
        {
            ["x"] = DataFileWriter.Npy("<f4", new[] { count, 1, 12, 12 }, DataFileWriter.Floats(x)),
            ["y"] = DataFileWriter.Npy("<i8", new[] { count }, DataFileWriter.Int64s(labels)),
        });
    }
}
