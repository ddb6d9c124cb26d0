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
