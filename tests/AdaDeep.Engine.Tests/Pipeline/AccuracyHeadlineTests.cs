using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>Issue 23.5: the summaries headline the measure that means something for the output, or no number at all.</summary>
public class AccuracyHeadlineTests
{
    [Fact]
    public void ClassScores_HeadlineTop1Agreement()
    {
        var model = TinyModels.Mlp();
        var report = new ValidationGate(model, Vectors(40, 5, 4f), realData: true).Check(model);

        var headline = AccuracyHeadline.From(isAgreement: true, 1.0, 0.982, report);

        Assert.Equal(AccuracyMeasures.Agreement, headline.Measure);
        Assert.Equal("agreement 100.00 % → 98.20 %", headline.Text);
    }

    [Fact]
    public void Labels_HeadlineAccuracy()
    {
        var model = TinyModels.Mlp();
        var report = new ValidationGate(model, Vectors(40, 5, 4f), realData: true).Check(model);

        var headline = AccuracyHeadline.From(isAgreement: false, 0.975, 0.971, report);

        Assert.Equal(AccuracyMeasures.Accuracy, headline.Measure);
        Assert.Equal("accuracy 97.50 % → 97.10 %", headline.Text);
    }

    [Fact]
    public void ADenseMap_HeadlinesCosineSimilarity_NotAnArgmaxOverItsPixels()
    {
        var original = DenseConv(scale: 1f);
        var candidate = DenseConv(scale: 1.01f, shift: 0.02f);
        var inputs = new Dataset(TinyModels.Weights(6 * 16, 9, 1f), new[] { 1, 4, 4 }, null, "synthetic maps");
        var report = new ValidationGate(original, inputs, realData: false).Check(candidate);
        var output = Assert.Single(report.Outputs);
        Assert.False(output.IsClassifier); // [2,4,4] per sample: a map, not one score vector

        var headline = AccuracyHeadline.From(isAgreement: true, 1.0, 0.6667, report);

        Assert.Equal(AccuracyMeasures.Cosine, headline.Measure);
        Assert.StartsWith($"output cosine similarity to the original {output.MeanCosine:0.####}", headline.Text);
        Assert.Contains("dense output 2x4x4 on 6 inputs", headline.Text);
        Assert.DoesNotContain("66.67", headline.Text);
        Assert.DoesNotContain("%", headline.Text);
    }

    [Fact]
    public void AnOriginalThatPredictsOneClass_IsNotMeasured_NotHundredPercent()
    {
        var model = TinyModels.Mlp();
        var bias = model.Graph.Initializer.ToList().FindIndex(i => i.Name == "fc2.bias");
        var values = TinyModels.Weights(3, 4);
        values[0] += 100f;
        model.Graph.Initializer[bias] = TensorData.FromFloats("fc2.bias", new long[] { 3 }, values);
        var report = new ValidationGate(model, Vectors(40, 5, 0.5f), realData: true).Check(model);

        var headline = AccuracyHeadline.From(isAgreement: true, 1.0, 1.0, report);

        Assert.Equal(AccuracyMeasures.NotMeasured, headline.Measure);
        Assert.StartsWith($"accuracy not measured ({ErrorCodes.ValidationMeaningless}: the original predicts class 0 for every input", headline.Text);
        Assert.DoesNotContain("100", headline.Text);
    }

    [Fact]
    public void AnOutputThatCouldNotBeCompared_IsNotMeasured()
    {
        var report = new ValidationReport
        {
            InputShape = "Nx4",
            Data = "test",
            Outputs = new[] { new OutputComparison { Name = "tokens", JudgedBy = "nothing", Passed = true, NotCompared = "not a float32 output with the batch first" } },
        };

        var headline = AccuracyHeadline.From(isAgreement: true, 1.0, 1.0, report);

        Assert.Equal("accuracy not measured (output 'tokens' not compared: not a float32 output with the batch first)", headline.Text);
    }

    /// <summary>x[N,1,4,4] → Conv(1→2, 1×1, weights scaled, bias shifted) = y[N,2,4,4]: a dense map.</summary>
    private static OnnxModel DenseConv(float scale, float shift = 0f)
    {
        var b = new GraphBuilder("dense").Input("x", null, 1, 4, 4).Output("y", null, 2, 4, 4);
        var w = b.Weight("w", new long[] { 2, 1, 1, 1 }, new[] { 0.8f * scale, -0.5f * scale });
        var bias = b.Weight("b", new long[] { 2 }, new[] { 0.1f + shift, 0.2f + shift });
        b.Node("Conv", new[] { "x", w, bias }, output: "y", name: "conv");
        return b.ToModel();
    }

    private static Dataset Vectors(int count, int seed, float scale) =>
        new(TinyModels.Weights(count * 4, seed, scale).Select(v => v + scale).ToArray(), new[] { 4 }, null, "test inputs");
}
