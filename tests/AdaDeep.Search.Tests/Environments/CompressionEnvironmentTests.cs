using AdaDeep.Compression.Data;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Strategies;
using AdaDeep.TestUtilities;

namespace AdaDeep.Search.Tests.Environments;

public class CompressionEnvironmentTests
{
    private static readonly DeviceProfile Watch = DeviceCatalog.Default.Resolve("sony-sw3");

    /// <summary>Unlabelled random inputs for the 12×12 LeNet-like model (accuracy = agreement with the original).</summary>
    internal static Dataset Inputs(int count, int seed = 3) =>
        new(TinyModels.Weights(count * 144, seed, 1f), new[] { 1, 12, 12 }, null, "random");

    internal static CompressionEnvironment LeNetEnv(CompressionEnvironmentOptions? options = null, Dataset? data = null) =>
        new(TinyModels.LeNetLike(), Watch, new SearchBudgets { LatencyMs = 0.18, StorageMB = 0.004 }, data ?? Inputs(32), options: options);

    [Fact]
    public void DecisionPoints_AreTheConvAndFcLayers_InGraphOrder()
    {
        var env = LeNetEnv();
        Assert.Equal(new[] { "conv1", "conv2", "fc1", "fc2" }, env.DecisionPoints.Select(p => p.Name));
        Assert.Equal(new[] { LayerKind.Conv, LayerKind.Conv, LayerKind.FullyConnected, LayerKind.FullyConnected }, env.DecisionPoints.Select(p => p.Features.Kind));
        Assert.Equal(SearchActions.None, env.Actions[0]);
        Assert.All(env.DecisionPoints, p => Assert.Equal(0, p.CandidateActions[0]));
        Assert.Equal(new LayerFeatures(LayerKind.Conv, 296, 10_368, 4, 8), env.DecisionPoints[1].Features);
        Assert.Contains("L3", env.DecisionPoints[2].CandidateActions.Select(a => env.Actions[a]));
        Assert.DoesNotContain("C2", env.DecisionPoints[2].CandidateActions.Select(a => env.Actions[a]));
    }

    [Fact]
    public void OriginalMetrics_AreTheCostModelsFigures_TheShippedFileAndFullAgreement()
    {
        var env = LeNetEnv();
        var costs = CostModel.Estimate(ModelAnalyzer.Analyze(TinyModels.LeNetLike()), Watch);
        var file = CompressionEnvironment.FileMB(WeightPacker.Pack(TinyModels.LeNetLike()));
        Assert.Equal(new ConfigurationMetrics(1.0, costs.LatencyMs, file, costs.EnergyMJ, 16_864), env.OriginalMetrics);
        Assert.Equal("agreement", env.AccuracyMetric);
        Assert.Equal(32, env.ValidationCount);
        Assert.Equal(RewardWeights.ForDevice(Watch), env.Reward.Weights);
    }

    [Fact]
    public void PruningLevels_AreActions_AndSharedWeightsShrinkWhatTheSearchMeasures()
    {
        var levels = CompressionEnvironmentOptions.Default with { Techniques = new[] { "W3@90", "W3@50" } };
        var plain = LeNetEnv(levels);
        var shared = LeNetEnv(levels with { WeightSharing = new AdaDeep.Compression.Techniques.WeightSharingOptions(4, 8) });

        Assert.Equal(new[] { SearchActions.None, "W3@50", "W3@90" }, plain.Actions);
        var choice = new[] { 0, 0, plain.ActionIndex("W3@90"), plain.ActionIndex("W3@50") };
        var model = shared.BuildModel(choice);
        var fc1 = AdaDeep.Onnx.Model.TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == model.Graph.Node.Single(n => n.Name == "fc1").Input[1]));
        Assert.Equal((int)Math.Floor(0.9 * 1152), fc1.Count(v => v == 0));
        Assert.True(fc1.Where(v => v != 0).Distinct().Count() <= 15);
        Assert.True(shared.Evaluate(choice).StorageMB < plain.Evaluate(choice).StorageMB);
    }

    [Fact]
    public void SharedWeights_LeaveTheRecurrentLayerToInt8_WhenTheRestIsQuantised()
    {
        var model = RealWorldTinyModels.SequenceClassifier();
        var data = new Dataset(TinyModels.Weights(16 * RealWorldTinyModels.SeqSteps * RealWorldTinyModels.SeqFeatures, 4, 1f),
            new[] { RealWorldTinyModels.SeqSteps, RealWorldTinyModels.SeqFeatures }, null, "random");
        var options = CompressionEnvironmentOptions.Default with { Techniques = new[] { "Q8W", "W3" }, WeightSharing = new AdaDeep.Compression.Techniques.WeightSharingOptions(4, 8) };
        var sharedOnly = new CompressionEnvironment(model, Watch, SearchBudgets.None, data, options: options).BuildModel(Array.Empty<int>());
        var both = new CompressionEnvironment(model, Watch, SearchBudgets.None, data, options: options with { QuantizeRemaining = true }).BuildModel(Array.Empty<int>());

        string WeightOf(OnnxModel m, string op, int input) => m.Graph.Node.Single(n => n.OpType == op).Input[input];
        Assert.Contains(sharedOnly.Graph.Initializer, t => t.Name == WeightOf(sharedOnly, "GRU", 1) && t.DataType == TensorData.Float);
        Assert.DoesNotContain(both.Graph.Initializer, t => t.Name == WeightOf(both, "GRU", 1) && t.DataType == TensorData.Float);
        Assert.Contains(both.Graph.Initializer, t => t.DataType == TensorData.Int8);
        // The fc keeps its 4-bit codebook (floats with at most 16 distinct values), not int8.
        var fc = both.Graph.Initializer.Single(t => t.Name == WeightOf(both, "Gemm", 1));
        Assert.Equal(TensorData.Float, fc.DataType);
        Assert.True(TensorData.ToFloats(fc).Distinct().Count() <= 16);
    }

    [Fact]
    public void L3OnTheFirstFc_MakesTheNextFcMoot()
    {
        var env = LeNetEnv();
        var l3 = env.ActionIndex("L3");
        Assert.Contains(l3, env.LegalActions(new[] { 0, 0 }));
        Assert.Equal(new[] { 0 }, env.LegalActions(new[] { 0, 0, l3 }));
        Assert.True(env.LegalActions(new[] { 0, 0, 0 }).Count > 1);
    }

    [Fact]
    public void BuiltModel_RunsWithTheOriginalOutputShape_AndMatchesItsMetrics()
    {
        var env = LeNetEnv();
        var configuration = new[] { env.ActionIndex("P1"), 0, env.ActionIndex("W1f") };
        var metrics = env.Evaluate(configuration);
        var model = env.BuildModel(new[] { "P1", "none", "W1f", "none" });
        var costs = CostModel.Estimate(ModelAnalyzer.Analyze(model), Watch);
        Assert.Equal(costs.Macs, metrics.Macs);
        // Storage is the shipped (packed) file, as the pipeline's storage budget judges it, not the weights alone.
        Assert.Equal(CompressionEnvironment.FileMB(WeightPacker.Pack(model)), metrics.StorageMB);
        Assert.True(metrics.StorageMB > costs.WeightMB);
        Assert.True(metrics.Macs < env.OriginalMetrics.Macs);
        Assert.Equal(new[] { 1, 10 }, OrtRunner.OutputShape(model, Inputs(1).X, new[] { 1, 1, 12, 12 }));
    }

    [Fact]
    public void Evaluations_AreCachedPerConfiguration()
    {
        var env = LeNetEnv();
        var w1f = env.ActionIndex("W1f");
        env.Evaluate(new[] { 0, 0, w1f });
        var measured = env.DistinctEvaluations;
        env.Evaluate(new[] { 0, 0, w1f, 0 });
        env.Reset();
        env.Step(0);
        env.Step(0);
        env.Step(w1f);
        env.Step(0);
        Assert.Equal(measured, env.DistinctEvaluations);
        Assert.True(env.CacheHits >= 3);
    }

    [Fact]
    public void TechniquesOption_RestrictsTheActions()
    {
        var env = LeNetEnv(new CompressionEnvironmentOptions { Techniques = new[] { "L3", "W3" } });
        Assert.Equal(new[] { "none", "W3", "L3" }, env.Actions);
        var e = Assert.Throws<AdaDeepException>(() => LeNetEnv(new CompressionEnvironmentOptions { Techniques = new[] { "Z9" } }));
        Assert.Equal(ErrorCodes.TechniqueUnknown, e.Code);
    }

    [Fact]
    public void NoApplicableTechnique_IsAnActionableError()
    {
        var mlpData = new Dataset(TinyModels.Weights(8 * 4, 1), new[] { 4 }, null, "random");
        var e = Assert.Throws<AdaDeepException>(() => new CompressionEnvironment(TinyModels.Mlp(), Watch, SearchBudgets.None, mlpData,
            options: new CompressionEnvironmentOptions { Techniques = new[] { "C2" } }));
        Assert.Equal(ErrorCodes.SearchNothingToDecide, e.Code);
        // The message says why, per technique: C2 needs a conv with a kernel above 1×1, and the MLP has none.
        Assert.Contains("C2: ", e.Message);
        Assert.Contains("(1 layer)", e.Message);
        Assert.Contains("fc1", e.Message);
    }

    [Fact]
    public void LabelledData_MeasuresAccuracy()
    {
        var inputs = Inputs(16);
        var labels = AdaDeep.Compression.Evaluation.AccuracyEvaluator.PredictTop1(TinyModels.LeNetLike(), inputs);
        labels[0] = (labels[0] + 1) % 10; // one wrong label: the original scores 15/16
        var env = LeNetEnv(data: inputs with { Labels = labels });
        Assert.Equal("accuracy", env.AccuracyMetric);
        Assert.Equal(15.0 / 16, env.OriginalMetrics.Accuracy, 12);
    }

    [Fact]
    public void StaticQuantization_GetsCalibrationFromTheValidationBatch()
    {
        var env = LeNetEnv(new CompressionEnvironmentOptions { Techniques = new[] { "Q8" } });
        var metrics = env.Evaluate(new[] { 0, env.ActionIndex("Q8") });
        Assert.Empty(env.Rejections);
        Assert.True(metrics.Accuracy > 0.5);
    }

    [Fact]
    public void RandomSearch_OverTheRealEnvironment_IsDeterministic()
    {
        var options = SearchOptions.Default with { Seed = 11, Episodes = 6, Clock = new Toy.ManualClock() };
        var a = new RandomStrategy().Search(LeNetEnv(), options, null, CancellationToken.None);
        var b = new RandomStrategy().Search(LeNetEnv(), options, null, CancellationToken.None);
        Assert.Equal(SearchResultJson.Serialize(a), SearchResultJson.Serialize(b));
        Assert.Equal(6, a.EpisodeRewards.Count);
    }

    [Fact]
    public void DqnSearch_OverTheRealEnvironment_IsDeterministic_AndAtLeastGreedy()
    {
        var techniques = new CompressionEnvironmentOptions { Techniques = new[] { "W3", "Q8W", "P1", "W1f" } };
        var options = SearchOptions.Default with
        {
            Seed = 11, Episodes = 8, Clock = new Toy.ManualClock(),
            Dqn = AdaDeep.Search.Dqn.DqnOptions.Default with { TrainStepsPerTransition = 1 },
        };
        var a = new AdaDeep.Search.Dqn.DqnStrategy().Search(LeNetEnv(techniques), options, null, CancellationToken.None);
        var b = new AdaDeep.Search.Dqn.DqnStrategy().Search(LeNetEnv(techniques), options, null, CancellationToken.None);
        Assert.Equal(SearchResultJson.Serialize(a), SearchResultJson.Serialize(b));

        var greedy = new GreedyStrategy().Search(LeNetEnv(techniques), options, null, CancellationToken.None);
        Assert.False(CandidateLog.IsBetter(greedy.Best, a.Best));
        Assert.All(greedy.Candidates, c => Assert.Contains(a.Candidates, d => d.Actions.SequenceEqual(c.Actions)));
    }

    [Fact]
    public void Quantisation_IsDeferredUntilAfterTheTrainableRewrites()
    {
        var env = LeNetEnv();
        var configuration = new[] { env.ActionIndex("P1"), env.ActionIndex("Q8W"), env.ActionIndex("W1f") };
        var trainable = env.BuildTrainableModel(configuration);
        Assert.Equal(env.BuildTrainableModel(new[] { configuration[0], 0, configuration[2] }).Sha256(), trainable.Sha256());
        Assert.DoesNotContain(trainable.Graph.Initializer, t => t.DataType == AdaDeep.Onnx.Model.TensorData.Int8);
        var full = env.BuildModel(configuration);
        Assert.Contains(full.Graph.Initializer, t => t.DataType == AdaDeep.Onnx.Model.TensorData.Int8);
        Assert.Equal(env.ApplyDeferred(trainable, configuration).Sha256(), full.Sha256());
    }

    [Fact]
    public void QuickFineTune_WithoutATimeLimit_IsRepeatable()
    {
        var options = CompressionEnvironmentOptions.Default with { QuickFineTuneData = Inputs(32, seed: 9), QuickFineTuneBudget = null };
        var a = LeNetEnv(options);
        var b = LeNetEnv(options);
        var configuration = new[] { 0, 0, a.ActionIndex("W1f") };
        Assert.Equal(a.Evaluate(configuration), b.Evaluate(configuration));
        Assert.Empty(a.Rejections);
    }

    [Fact]
    public void QuickFineTune_CutByItsTimeCap_IsCounted()
    {
        var uncapped = LeNetEnv(CompressionEnvironmentOptions.Default with { QuickFineTuneData = Inputs(32, seed: 9), QuickFineTuneBudget = null });
        var capped = LeNetEnv(CompressionEnvironmentOptions.Default with { QuickFineTuneData = Inputs(32, seed: 9), QuickFineTuneBudget = TimeSpan.Zero });

        uncapped.Evaluate(new[] { 0, 0, uncapped.ActionIndex("W1f") });
        capped.Evaluate(new[] { 0, 0, capped.ActionIndex("W1f") });

        Assert.Equal(0, uncapped.QuickFineTunesCut);
        Assert.Equal(1, capped.QuickFineTunesCut);
    }
}
