using AdaDeep.Compression.Data;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.FineTuning;

// TorchSharp's thread count and RNG are process-wide: byte-equality must not share them with parallel trainers.
[Collection(TorchGlobalStateCollection.Name)]
public class IterativePruningTests
{
    private static readonly FineTuneOptions Fast = new(MaxEpochs: 6, BatchSize: 16, LearningRate: 0.01, Patience: 6, Seed: 3, Threads: 1);

    private static Dataset MlpData(int count, int seed) =>
        new(TinyModels.Weights(count * 4, seed, 3f), new[] { 4 }, null, "synthetic");

    private static (OnnxModel Teacher, OnnxModel Student, string Weight) PrunedMlp()
    {
        var teacher = TinyModels.Mlp();
        var student = new MagnitudePruningTechnique(75).Apply(teacher, "fc1", TechniqueOptions.Default);
        return (teacher, student, student.Graph.Node.Single(n => n.Name == "fc1").Input[1]);
    }

    private static float[] Values(OnnxModel model, string name) => TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == name));

    [Fact]
    public void FineTune_InRounds_EndsWithTheStudentsZeroCountAndKeepsNoPartlyPrunedEpoch()
    {
        var (teacher, student, weight) = PrunedMlp();
        var pruning = new IterativePruning(PrunedWeightOrigins.Find(teacher, student), Steps: 3);

        var result = Distiller.FineTune(teacher, student, MlpData(320, 1), MlpData(200, 2), Fast with { Pruning = pruning });

        Assert.Equal(24, Values(student, weight).Count(v => v == 0));
        Assert.Equal(24, Values(result.Model, weight).Count(v => v == 0));
        Assert.True(result.BestEpoch == 0 || result.BestEpoch >= 3, $"kept epoch {result.BestEpoch}, before the last pruning round");
        Assert.True(result.ValAccuracyAfter >= result.ValAccuracyBefore);
    }

    [Fact]
    public void FineTune_InRounds_StartsFromTheDenseWeightsAndIsDeterministic()
    {
        var (teacher, student, weight) = PrunedMlp();
        var pruning = new IterativePruning(PrunedWeightOrigins.Find(teacher, student), Steps: 3);
        var options = Fast with { Pruning = pruning, Patience = 10 };

        var first = Distiller.FineTune(teacher, student, MlpData(96, 4), MlpData(64, 5), options);
        var second = Distiller.FineTune(teacher, student, MlpData(96, 4), MlpData(64, 5), options);
        var oneShot = Distiller.FineTune(teacher, student, MlpData(96, 4), MlpData(64, 5), Fast with { Patience = 10 });

        Assert.Equal(first.Model.ToBytes(), second.Model.ToBytes());
        Assert.NotEqual(Values(oneShot.Model, weight), Values(first.Model, weight));
    }

    [Fact]
    public void FineTune_WithDenseWeightsOfAnotherShape_TrainsTheStudentAsPruned()
    {
        var (teacher, student, weight) = PrunedMlp();
        var pruning = new IterativePruning(new Dictionary<string, float[]> { [weight] = new float[5] }, Steps: 3);

        var withWrongShape = Distiller.FineTune(teacher, student, MlpData(96, 4), MlpData(64, 5), Fast with { Pruning = pruning });
        var plain = Distiller.FineTune(teacher, student, MlpData(96, 4), MlpData(64, 5), Fast);

        Assert.Equal(plain.Model.ToBytes(), withWrongShape.Model.ToBytes());
    }

    [Fact]
    public void FineTune_CutByTheTimeBudgetBeforeTheLastRound_StillEndsAtTheFinalSparsity()
    {
        var (teacher, student, weight) = PrunedMlp();
        var pruning = new IterativePruning(PrunedWeightOrigins.Find(teacher, student), Steps: 3);

        var result = Distiller.FineTune(teacher, student, MlpData(96, 4), MlpData(64, 5), Fast with { Pruning = pruning, TimeBudget = TimeSpan.FromTicks(1) });

        Assert.Equal(FineTuneStopReason.TimeBudget, result.StopReason);
        Assert.Equal(1, result.Steps);
        Assert.Equal(24, Values(result.Model, weight).Count(v => v == 0));
    }

    [Fact]
    public void IterativePruning_NeedsAtLeastOneStep()
    {
        var (teacher, student, _) = PrunedMlp();
        var options = Fast with { Pruning = new IterativePruning(new Dictionary<string, float[]>(), Steps: 0) };

        Assert.Throws<ArgumentOutOfRangeException>(() => Distiller.FineTune(teacher, student, MlpData(32, 1), null, options));
    }
}
