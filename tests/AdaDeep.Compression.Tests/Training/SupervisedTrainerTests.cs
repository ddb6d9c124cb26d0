using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.Training;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Training;

public class SupervisedTrainerTests
{
    /// <summary>
    /// 48 noisy 28×28 "images" (pixels 0–255) whose class k shows a bright 6×6 block at one of ten places: learnable,
    /// and the held-out part follows the same rule.
    /// </summary>
    private static Dataset TinyImages()
    {
        var noise = TinyModels.Weights(48 * 784, 3, 60f);
        var x = new float[48 * 784];
        var labels = new int[48];
        for (var i = 0; i < 48; i++)
        {
            var k = labels[i] = i * 7 % 10;
            var (top, left) = (k / 5 * 12 + 4, k % 5 * 5 + 1);
            for (var p = 0; p < 784; p++)
            {
                var (r, c) = (p / 28, p % 28);
                var block = r >= top && r < top + 6 && c >= left && c < left + 6 ? 200f : 0f;
                x[i * 784 + p] = Math.Clamp(block + Math.Abs(noise[i * 784 + p]), 0f, 255f);
            }
        }

        return new Dataset(x, new[] { 1, 28, 28 }, labels, "synthetic");
    }

    /// <summary>Mean cross-entropy of the model's logits against the labels, measured in ONNX Runtime.</summary>
    private static double CrossEntropy(OnnxModel model, Dataset data)
    {
        using var runner = new OrtModelRunner(model);
        var outputs = runner.Run(data);
        var total = 0.0;
        for (var i = 0; i < data.Count; i++)
        {
            var row = outputs.Sample(i).ToArray().Select(v => (double)v).ToArray();
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            total += logSum - row[data.Labels![i]];
        }

        return total / data.Count;
    }

    [Fact]
    public void Train_LowersTheTrainingLoss()
    {
        var data = TinyImages();
        var model = LeNet5.Build(seed: 1);

        var trained = SupervisedTrainer.Train(model, data, new SupervisedTrainOptions(MaxEpochs: 3, BatchSize: 8, LearningRate: 3e-3, Patience: 3, ValidationFraction: 0.25));

        Assert.True(CrossEntropy(trained, data) < CrossEntropy(model, data), "training did not lower the loss");
    }

    [Fact]
    public void TrainDetailed_IsSeededAndReportsAccuracy()
    {
        var data = TinyImages();
        var options = new SupervisedTrainOptions(MaxEpochs: 2, BatchSize: 12, Seed: 9, ValidationFraction: 0.25);

        var first = SupervisedTrainer.TrainDetailed(LeNet5.Build(seed: 2), data, options);
        var second = SupervisedTrainer.TrainDetailed(LeNet5.Build(seed: 2), data, options);

        Assert.Equal(first.Model.ToBytes(), second.Model.ToBytes());
        Assert.False(first.ValIsAgreement);
        Assert.InRange(first.ValAccuracyAfter, first.ValAccuracyBefore, 1.0);
        Assert.Equal(6, first.Steps); // 36 training samples in batches of 12, two epochs
    }

    [Fact]
    public void Train_WithoutLabels_IsAnError()
    {
        var data = TinyImages() with { Labels = null };

        var e = Assert.Throws<AdaDeepException>(() => SupervisedTrainer.Train(LeNet5.Build(), data, new SupervisedTrainOptions()));

        Assert.Equal(ErrorCodes.DatasetMalformed, e.Code);
    }
}
