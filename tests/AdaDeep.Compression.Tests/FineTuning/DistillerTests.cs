using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using TorchSharp;

namespace AdaDeep.Compression.Tests.FineTuning;

// TorchSharp's thread count and RNG are process-wide: the byte-equality test must not share them with parallel trainers.
[Collection(TorchGlobalStateCollection.Name)]
public class DistillerTests
{
    /// <summary>Unlabelled inputs for TinyModels.Mlp, spread enough that every class occurs.</summary>
    private static Dataset MlpData(int count, int seed) =>
        new(TinyModels.Weights(count * 4, seed, 3f), new[] { 4 }, null, "synthetic");

    /// <summary>The MLP with noise on every weight and 40% of fc1's weights set to exactly zero.</summary>
    private static OnnxModel Damaged(OnnxModel model, int seed = 77)
    {
        var damaged = model.Clone();
        var rng = new Random(seed);
        for (var i = 0; i < damaged.Graph.Initializer.Count; i++)
        {
            var t = damaged.Graph.Initializer[i];
            var values = TensorData.ToFloats(t).Select(v => v + (float)(rng.NextDouble() - 0.5) * 0.8f).ToArray();
            if (t.Name == "fc1.weight")
            {
                for (var j = 0; j < values.Length; j++)
                {
                    if (j % 5 < 2)
                    {
                        values[j] = 0f;
                    }
                }
            }

            damaged.Graph.Initializer[i] = TensorData.FromFloats(t.Name, t.Dims.ToArray(), values);
        }

        return damaged;
    }

    private static float[] Weight(OnnxModel model, string name) =>
        TensorData.ToFloats(model.Graph.Initializer.Single(i => i.Name == name));

    private static readonly FineTuneOptions Fast = new(MaxEpochs: 8, BatchSize: 16, LearningRate: 0.01, Patience: 8, Seed: 3);

    [Fact]
    public void FineTune_RecoversAgreementWithTheTeacher_AndKeepsPrunedWeightsZero()
    {
        var teacher = TinyModels.Mlp();
        var student = Damaged(teacher);
        var train = MlpData(320, 1);
        var validation = MlpData(200, 2);

        var result = Distiller.FineTune(teacher, student, train, validation, Fast);

        Assert.True(result.ValIsAgreement);
        Assert.True(result.ValAccuracyAfter > result.ValAccuracyBefore + 0.3, $"{result.ValAccuracyBefore} -> {result.ValAccuracyAfter}");
        Assert.True(result.ValAccuracyAfter >= 0.85, $"agreement {result.ValAccuracyBefore} -> {result.ValAccuracyAfter}");
        var measured = AccuracyEvaluator.Evaluate(result.Model, validation, teacher);
        Assert.Equal(result.ValAccuracyAfter, measured.Accuracy, 2);
        var before = Weight(student, "fc1.weight");
        var after = Weight(result.Model, "fc1.weight");
        Assert.All(Enumerable.Range(0, before.Length).Where(i => before[i] == 0f), i => Assert.Equal(0f, after[i]));
        Assert.NotEqual(before, after);
        Assert.InRange(result.BestEpoch, 1, result.Epochs);
    }

    [Fact]
    public void FineTune_WithLabels_ReportsAccuracyAndTrainsACnn()
    {
        var teacher = FreeBatch(TinyModels.LeNetLike());
        var images = new Dataset(TinyModels.Weights(96 * 144, 5, 2f), new[] { 1, 12, 12 }, null, "synthetic");
        var labelled = images with { Labels = AccuracyEvaluator.PredictTop1(teacher, images) };
        var (train, validation) = labelled.Split(0.25, seed: 1);

        var result = Distiller.FineTune(teacher, Damaged(teacher), train, validation,
            Fast with { MaxEpochs = 4, Alpha = 0.5 });

        Assert.False(result.ValIsAgreement);
        Assert.True(result.ValAccuracyAfter >= result.ValAccuracyBefore);
        Assert.Equal(24, validation.Count);
    }

    [Fact]
    public void FineTune_IsDeterministic()
    {
        var teacher = TinyModels.Mlp();
        var train = MlpData(96, 4);

        var first = Distiller.FineTune(teacher, Damaged(teacher), train, null, Fast with { MaxEpochs = 3, Threads = 1 });
        var second = Distiller.FineTune(teacher, Damaged(teacher), train, null, Fast with { MaxEpochs = 3, Threads = 1 });

        Assert.Equal(first.Model.ToBytes(), second.Model.ToBytes());
        Assert.Equal(first.ValAccuracyAfter, second.ValAccuracyAfter);
    }

    [Fact]
    public void FineTune_LeaksNoTensorsAcrossSteps()
    {
        var teacher = FreeBatch(TinyModels.LeNetLike());
        var data = new Dataset(TinyModels.Weights(64 * 144, 6, 2f), new[] { 1, 12, 12 }, null, "synthetic");
        var liveAtStep = new List<long>();
        var progress = new SynchronousProgress(p =>
        {
            if (!p.IsEpochEnd)
            {
                liveAtStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
        });

        Distiller.FineTune(teacher, Damaged(teacher), data, data.Take(16), Fast with { MaxEpochs = 3, BatchSize = 8 }, progress);

        Assert.Equal(24, liveAtStep.Count);
        // The first step creates Adam's state; after that every step frees all it creates.
        Assert.All(liveAtStep.Skip(1), count => Assert.Equal(liveAtStep[1], count));
    }

    [Fact]
    public void FineTune_StudentEqualToTeacher_StopsEarlyAndReturnsTheSameWeights()
    {
        var teacher = TinyModels.Mlp();

        var result = Distiller.FineTune(teacher, teacher, MlpData(64, 7), null, Fast with { Patience = 2 });

        Assert.Equal(1.0, result.ValAccuracyBefore);
        Assert.Equal(FineTuneStopReason.EarlyStopping, result.StopReason);
        Assert.Equal(2, result.Epochs);
        Assert.Equal(0, result.BestEpoch);
        Assert.Equal(teacher.Graph.Initializer.Select(TensorData.ToFloats), result.Model.Graph.Initializer.Select(TensorData.ToFloats));
    }

    [Fact]
    public void FineTune_WithTheCosineSchedule_RunsEveryEpochInsteadOfStoppingEarly()
    {
        var teacher = TinyModels.Mlp();

        var result = Distiller.FineTune(teacher, teacher, MlpData(64, 7), null, Fast with { Patience = 2, Schedule = LearningRateSchedule.Cosine });

        Assert.Equal(FineTuneStopReason.MaxEpochs, result.StopReason);
        Assert.Equal(Fast.MaxEpochs, result.Epochs);
        Assert.Equal(0, result.BestEpoch);
        Assert.Equal(teacher.Graph.Initializer.Select(TensorData.ToFloats), result.Model.Graph.Initializer.Select(TensorData.ToFloats));
    }

    [Fact]
    public void FineTune_WithTheCosineSchedule_TakesSmallerStepsThanConstant()
    {
        var teacher = TinyModels.Mlp();
        var train = MlpData(96, 4);
        var options = Fast with { MaxEpochs = 6, Patience = 6, Threads = 1 };

        var constant = Distiller.FineTune(teacher, Damaged(teacher), train, null, options);
        var cosine = Distiller.FineTune(teacher, Damaged(teacher), train, null, options with { Schedule = LearningRateSchedule.Cosine });
        var again = Distiller.FineTune(teacher, Damaged(teacher), train, null, options with { Schedule = LearningRateSchedule.Cosine });

        // Epoch 1 runs at the full rate under both, so only a later best epoch can tell the schedules apart.
        Assert.True(cosine.BestEpoch > 1 && constant.BestEpoch > 1, $"best epochs {constant.BestEpoch} and {cosine.BestEpoch}");
        Assert.NotEqual(constant.Model.ToBytes(), cosine.Model.ToBytes());
        Assert.Equal(cosine.Model.ToBytes(), again.Model.ToBytes());
    }

    [Fact]
    public void FineTune_StopsWhenTheTimeBudgetIsSpent()
    {
        var teacher = TinyModels.Mlp();

        var result = Distiller.FineTune(teacher, Damaged(teacher), MlpData(64, 8), null, Fast with { TimeBudget = TimeSpan.Zero });

        Assert.Equal(FineTuneStopReason.TimeBudget, result.StopReason);
        Assert.Equal(1, result.Epochs);
        Assert.Equal(1, result.Steps);
    }

    [Fact]
    public void FineTune_HonoursCancellation()
    {
        var teacher = TinyModels.Mlp();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Distiller.FineTune(teacher, Damaged(teacher), MlpData(32, 9), null, Fast, null, cancelled.Token));
    }

    [Fact]
    public void FineTune_StudentWithOtherClasses_IsNotApplicable()
    {
        var teacher = TinyModels.Mlp();
        var b = new GraphBuilder("other").Input("x", null, 4).Output("y", null, 5);
        b.Node("Gemm", new[] { "x", b.Weight("w", new long[] { 5, 4 }, TinyModels.Weights(20, 1)) }, output: "y", configure: n => n.SetInt("transB", 1));

        var e = Assert.Throws<AdaDeepException>(() => Distiller.FineTune(teacher, b.ToModel(), MlpData(32, 10), null, Fast));

        Assert.Equal(ErrorCodes.TechniqueNotApplicable, e.Code);
    }

    [Fact]
    public void FineTune_Mnist8WithItsFixedBatchOfOne_TrainsInMiniBatches()
    {
        var teacher = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var images = new Dataset(TinyModels.Weights(40 * 784, 12, 255f).Select(Math.Abs).ToArray(), new[] { 1, 28, 28 }, null, "synthetic");

        var result = Distiller.FineTune(teacher, Damaged(teacher), images, images.Take(8), Fast with { MaxEpochs = 1, BatchSize = 10 });

        Assert.Equal(4, result.Steps);
        Assert.Equal(teacher.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue, result.Model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue);
    }

    /// <summary>The same model with a symbolic batch dimension on its input and output.</summary>
    internal static OnnxModel FreeBatch(OnnxModel model)
    {
        var copy = model.Clone();
        foreach (var value in copy.Graph.Input.Concat(copy.Graph.Output))
        {
            value.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        }

        return copy;
    }

    private sealed class SynchronousProgress(Action<FineTuneProgress> report) : IProgress<FineTuneProgress>
    {
        public void Report(FineTuneProgress value) => report(value);
    }
}
