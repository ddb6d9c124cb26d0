using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

public class ValidationGateTests
{
    [Fact]
    public void OriginalThatPredictsOneClassEverywhere_IsReportedAsMeaningless_NotAs100Percent()
    {
        var model = BiasedMlp(classZeroBias: 100f);
        var gate = new ValidationGate(model, Uniform(count: 40, seed: 5), realData: false);

        var report = gate.Check(model);

        Assert.False(report.Meaningful);
        var output = Assert.Single(report.Outputs);
        Assert.Contains("predicts class 0 for every input", output.Degenerate);
        Assert.StartsWith("mean cosine", output.JudgedBy);
        Assert.Contains("MEANINGLESS", report.Headline);
        Assert.Contains("40 held-out synthetic inputs at Nx4", report.Headline);
    }

    [Fact]
    public void LargeDenseOutputs_AreComparedOnFewerInputs_WithinTheMemoryBound()
    {
        // x [N,1,128,128] → Conv 1→64 (1×1): 4 MiB of output a sample, so 256 MiB hold 64 of the 100 inputs.
        var b = new GraphBuilder("dense").Input("x", null, 1, 128, 128).Output("y", null, 64, 128, 128);
        b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 64, 1, 1, 1 }, TinyModels.Weights(64, 3)) }, output: "y",
            configure: n => n.SetInts("kernel_shape", new long[] { 1, 1 }));
        var model = b.ToModel();
        var data = new Dataset(TinyModels.Weights(100 * 128 * 128, 9, 1f), new[] { 1, 128, 128 }, null, "random");

        var report = new ValidationGate(model, data, realData: false).Check(model);

        Assert.Equal((int)(ValidationGate.MaxOutputBytes / (4L * 64 * 128 * 128)), report.Samples);
        Assert.True(report.Passed);
        Assert.Equal(100, new ValidationGate(TinyModels.Mlp(), Uniform(count: 100, seed: 5), realData: false).Check(TinyModels.Mlp()).Samples);
    }

    [Fact]
    public void UnchangedModel_PassesWithFullAgreement_AndZeroDifference()
    {
        var model = TinyModels.Mlp();
        var report = new ValidationGate(model, Uniform(count: 40, seed: 5, scale: 4f), realData: true).Check(model);

        Assert.True(report.Passed);
        Assert.True(report.Meaningful);
        var output = Assert.Single(report.Outputs);
        Assert.True(output.IsClassifier);
        Assert.Equal(1.0, output.Top1Agreement);
        Assert.Equal(0.0, output.MaxAbsDiff);
        Assert.Equal(1.0, output.MeanCosine, 6);
    }

    [Fact]
    public void ModelThatDisagreesOnMoreThanOnePercent_FailsTheGate()
    {
        var original = TinyModels.Mlp();
        var other = BiasedMlp(classZeroBias: 0.4f);
        var gate = new ValidationGate(original, Uniform(count: 200, seed: 9, scale: 4f), realData: true);

        var report = gate.Check(other);

        Assert.False(report.Passed);
        var output = Assert.Single(report.Outputs);
        Assert.True(output.Top1Agreement < 0.99, $"agreement {output.Top1Agreement}");
        Assert.StartsWith("validation gate FAILED", report.Headline);
    }

    [Fact]
    public void WithLabels_ARetrainedModelThatDisagreesButIsAsOftenRight_Passes_AndOneThatIsWorse_Fails()
    {
        var original = TinyModels.Mlp();
        var other = BiasedMlp(classZeroBias: 0.4f);
        var inputs = Uniform(count: 400, seed: 9, scale: 4f);
        var otherTop1 = AdaDeep.Compression.Evaluation.AccuracyEvaluator.PredictTop1(other, inputs);
        var originalTop1 = AdaDeep.Compression.Evaluation.AccuracyEvaluator.PredictTop1(original, inputs);

        // Labels that the other model gets right wherever the two disagree: it is better, though it disagrees.
        var betterReport = new ValidationGate(original, inputs with { Labels = otherTop1 }, realData: true, allowedDrop: 0.001).Check(other);
        // Labels that the original gets right: the other model loses every disagreement, far beyond 0.1 pt.
        var worseReport = new ValidationGate(original, inputs with { Labels = originalTop1 }, realData: true, allowedDrop: 0.001).Check(other);
        // Without the user's floor, agreement alone judges.
        var agreementOnly = new ValidationGate(original, inputs with { Labels = otherTop1 }, realData: true).Check(other);

        var better = Assert.Single(betterReport.Outputs);
        Assert.True(better.Top1Agreement < 0.99, $"agreement {better.Top1Agreement}");
        Assert.True(betterReport.Passed, betterReport.Headline);
        Assert.NotNull(better.Labelled);
        Assert.Equal(1.0, better.Labelled!.CandidateAccuracy);
        Assert.Contains("labelled accuracy", better.JudgedBy);
        Assert.False(worseReport.Passed, worseReport.Headline);
        Assert.False(Assert.Single(worseReport.Outputs).Labelled!.WithinDrop);
        Assert.False(agreementOnly.Passed);
        Assert.Null(Assert.Single(agreementOnly.Outputs).Labelled);
    }

    [Fact]
    public void WithLabels_TheGateComparesUpTo2048Inputs_Otherwise256()
    {
        var model = TinyModels.Mlp();
        var inputs = Uniform(count: 3000, seed: 3, scale: 4f);
        var labels = AdaDeep.Compression.Evaluation.AccuracyEvaluator.PredictTop1(model, inputs);

        Assert.Equal(ValidationGate.MaxLabelledSamples, new ValidationGate(model, inputs with { Labels = labels }, realData: true, allowedDrop: 0.01).Check(model).Samples);
        Assert.Equal(ValidationGate.MaxSamples, new ValidationGate(model, inputs with { Labels = labels }, realData: true).Check(model).Samples);
        Assert.Equal(ValidationGate.MaxSamples, new ValidationGate(model, inputs, realData: true, allowedDrop: 0.01).Check(model).Samples);
    }

    [Fact]
    public void AgreementFloor_DropsBelow99Percent_OnlyForTheUsersOwnAccuracyFloor()
    {
        Assert.Equal(0.99, ValidationGate.AgreementFloor(null, 0.02, userFloor: false));
        Assert.Equal(0.98, ValidationGate.AgreementFloor(null, 0.02, userFloor: true), 12);
        Assert.Equal(0.99, ValidationGate.AgreementFloor(null, 0.001, userFloor: true));
        Assert.Equal(0.995, ValidationGate.AgreementFloor(0.995, 0.5, userFloor: false));
    }

    /// <summary>TinyModels.Mlp with fc2's bias of class 0 raised, so that class wins more (or every) input.</summary>
    private static OnnxModel BiasedMlp(float classZeroBias)
    {
        var model = TinyModels.Mlp();
        var index = model.Graph.Initializer.ToList().FindIndex(i => i.Name == "fc2.bias");
        var values = TinyModels.Weights(3, 4);
        values[0] += classZeroBias;
        model.Graph.Initializer[index] = TensorData.FromFloats("fc2.bias", new long[] { 3 }, values);
        return model;
    }

    private static Dataset Uniform(int count, int seed, float scale = 0.5f) =>
        new(TinyModels.Weights(count * 4, seed, scale).Select(v => v + scale).ToArray(), new[] { 4 }, null, "synthetic test inputs");
}
