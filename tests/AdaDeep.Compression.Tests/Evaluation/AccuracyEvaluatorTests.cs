using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Evaluation;

public class AccuracyEvaluatorTests
{
    [Fact]
    public void Evaluate_WithLabels_IsTop1AccuracyAgainstThem()
    {
        var model = TinyModels.Mlp();
        var data = OrtModelRunnerTests.RandomData(40, new[] { 4 }, seed: 21, scale: 2f);
        var predictions = AccuracyEvaluator.PredictTop1(model, data);
        var labels = predictions.Select((p, i) => i < 10 ? (p + 1) % 3 : p).ToArray(); // the first 10 wrong

        var result = AccuracyEvaluator.Evaluate(model, data with { Labels = labels });

        Assert.Equal(0.75, result.Accuracy, 10);
        Assert.False(result.IsAgreement);
        Assert.Equal(40, result.Count);
        Assert.Equal("75.00% top-1 accuracy on 40 labelled samples", result.Describe());
    }

    [Fact]
    public void Evaluate_WithoutLabels_IsAgreementWithTheReference()
    {
        var original = TinyModels.Mlp();
        var data = OrtModelRunnerTests.RandomData(50, new[] { 4 }, seed: 22, scale: 2f);
        var damaged = original.Clone();
        var fc2 = damaged.Graph.Initializer.Single(i => i.Name == "fc2.weight");
        var noisy = TensorData.ToFloats(fc2).Zip(TinyModels.Weights(24, 99, 1f), (w, n) => w + n).ToArray();
        damaged.Graph.Initializer[damaged.Graph.Initializer.IndexOf(fc2)] = TensorData.FromFloats("fc2.weight", new long[] { 3, 8 }, noisy);

        var self = AccuracyEvaluator.Evaluate(original, data, reference: original);
        var other = AccuracyEvaluator.Evaluate(damaged, data, reference: original);

        Assert.True(self.IsAgreement);
        Assert.Equal(1.0, self.Accuracy);
        Assert.True(other.IsAgreement);
        Assert.InRange(other.Accuracy, 0.0, 0.99);
        Assert.StartsWith("100.00% top-1 agreement with the original model on 50 unlabelled samples", self.Describe());
        var reused = AccuracyEvaluator.EvaluateAgainst(damaged, data, AccuracyEvaluator.PredictTop1(original, data));
        Assert.Equal(other, reused);
    }

    [Fact]
    public void Evaluate_Mnist8OnItsTestDataSets_AgreesWithItself()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var data = DatasetLoader.Load(RepoPaths.ModelFolder("mnist-8"));

        var result = AccuracyEvaluator.Evaluate(model, data, reference: model);

        Assert.Equal(new AccuracyResult(1.0, true, 3), result);
    }

    [Fact]
    public void Evaluate_UnlabelledDataWithoutReference_IsAnError()
    {
        var data = OrtModelRunnerTests.RandomData(3, new[] { 4 }, seed: 1);

        var e = Assert.Throws<AdaDeepException>(() => AccuracyEvaluator.Evaluate(TinyModels.Mlp(), data));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
    }

    [Fact]
    public void Evaluate_DataOfTheWrongShape_IsDatasetShapeMismatch()
    {
        var data = OrtModelRunnerTests.RandomData(3, new[] { 5 }, seed: 1) with { Labels = new[] { 0, 1, 2 } };

        var e = Assert.Throws<AdaDeepException>(() => AccuracyEvaluator.Evaluate(TinyModels.Mlp(), data));

        Assert.Equal(ErrorCodes.DatasetShapeMismatch, e.Code);
    }
}
