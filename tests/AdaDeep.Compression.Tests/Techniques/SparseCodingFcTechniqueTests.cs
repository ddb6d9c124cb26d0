using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class SparseCodingFcTechniqueTests
{
    private readonly SparseCodingFcTechnique _w2 = new();

    [Fact]
    public void CodesAreSparseAndTheDictionaryHasMOver6Atoms()
    {
        var model = TinyModels.LeNetLike();
        var options = TechniqueOptions.Default with { SparseCodingDivisor = 2 }; // 8 atoms, 2 per column
        var rewritten = _w2.Apply(model, "fc1", options);

        var codes = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("fc1_w2_code", StringComparison.Ordinal));
        var dictionary = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("fc1_w2_dictionary_weight", StringComparison.Ordinal));
        Assert.Equal(new long[] { 72, 8 }, codes.Dims);
        Assert.Equal(new long[] { 16, 8 }, dictionary.Dims);
        var z = TensorData.ToFloats(codes);
        for (var input = 0; input < 72; input++)
        {
            Assert.InRange(z.Skip(input * 8).Take(8).Count(v => v != 0), 1, 2);
        }

        RunChecked(model, rewritten, LeNetShape);
        var defaults = _w2.Apply(model, "fc1", TechniqueOptions.Default);
        Assert.Contains(defaults.Graph.Initializer, t => t.Dims.SequenceEqual(new long[] { 16, 2 })); // k = 16 / 6 = 2
    }

    [Fact]
    public void DenseFullDictionaryReproducesTheLayer()
    {
        var model = TinyModels.Mlp();
        var rewritten = _w2.Apply(model, "fc1", TechniqueOptions.Default with { SparseCodingDivisor = 1, SparseCodeDensity = 1f });
        var x = Input(MlpShape);
        AssertSameOutputs(model, rewritten, x, MlpShape, 1e-4);
    }

    [Fact]
    public void AClassifierTooLargeForMatchingPursuit_IsRefusedBeforeAnyWork()
    {
        // MobileNetV3-small's 576→1024 classifier: ~2·10¹⁰ operations per pass (it ran for hours before the bound).
        var b = new AdaDeep.Onnx.Model.GraphBuilder("wide").Input("x", 1, 576).Output("y", 1, 1024);
        b.Node("Gemm", new[] { "x", b.Weight("w", new long[] { 1024, 576 }, TinyModels.Weights(1024 * 576, 5)) }, output: "y",
            configure: n => n.SetInt("transB", 1), name: "fc");
        var wide = b.ToModel();

        var verdict = _w2.CanApply(wide, "fc");
        Assert.False(verdict.CanApply);
        Assert.Contains("per pass", verdict.Reason);
        Assert.True(SparseCodingFcTechnique.PassWork(1024, 576, TechniqueOptions.Default) > SparseCodingFcTechnique.PassWorkLimit);
        Assert.True(SparseCodingFcTechnique.PassWork(300, 784, TechniqueOptions.Default) * 11 < SparseCodingFcTechnique.LearnWorkLimit);
    }

    [Fact]
    public void SameSeedSameBytes()
    {
        var model = TinyModels.LeNetLike();
        var options = TechniqueOptions.Default with { SparseCodingDivisor = 3 };
        Assert.Equal(_w2.Apply(model, "fc1", options).ToBytes(), _w2.Apply(model, "fc1", options).ToBytes());
    }
}
