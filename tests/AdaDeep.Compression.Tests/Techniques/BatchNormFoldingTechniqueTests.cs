using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class BatchNormFoldingTechniqueTests
{
    private readonly BatchNormFoldingTechnique _bn = new();

    internal static OnnxModel ConvBnRelu(bool convBias, bool extraConsumer = false)
    {
        var b = new GraphBuilder("bn").Input("x", 1, 3, 8, 8).Output("y", 1, 4, 8, 8);
        var inputs = new List<string> { "x", b.Weight("w", new long[] { 4, 3, 3, 3 }, TinyModels.Weights(108, 1)) };
        if (convBias)
        {
            inputs.Add(b.Weight("cb", new long[] { 4 }, TinyModels.Weights(4, 2)));
        }

        var c = b.Node("Conv", inputs.ToArray(), configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv");
        var bn = b.Node("BatchNormalization", new[]
        {
            c,
            b.Weight("gamma", new long[] { 4 }, new[] { 1.5f, 0.5f, -1f, 2f }),
            b.Weight("beta", new long[] { 4 }, new[] { 0.1f, -0.2f, 0.3f, 0f }),
            b.Weight("mean", new long[] { 4 }, new[] { 0.2f, -0.1f, 0f, 0.5f }),
            b.Weight("var", new long[] { 4 }, new[] { 0.5f, 2f, 1f, 0.1f }),
        }, configure: n => n.SetFloat("epsilon", 1e-3f), name: "bn");
        var r = b.Node("Relu", new[] { bn }, output: extraConsumer ? null : "y", name: "relu");
        if (extraConsumer)
        {
            b.Node("Add", new[] { r, c }, output: "y", name: "add");
        }

        return b.ToModel();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FoldingIsExact(bool convBias)
    {
        var model = ConvBnRelu(convBias);
        foreach (var name in new[] { "conv", "bn" })
        {
            var folded = _bn.Apply(model, name, TechniqueOptions.Default);
            Assert.Equal(0, Count(folded, "BatchNormalization"));
            Assert.Equal(3, Node(folded, "conv").Input.Count);
            var shape = new[] { 1, 3, 8, 8 };
            var input = Input(shape);
            AssertSameOutputs(model, folded, input, shape, 1e-4);
            Assert.True(Parameters(folded) < Parameters(model));
        }
    }

    [Fact]
    public void RefusesAConvWhoseOutputIsAlsoUsedElsewhere()
    {
        var verdict = _bn.CanApply(ConvBnRelu(true, extraConsumer: true), "bn");
        Assert.False(verdict.CanApply);
        Assert.Contains("besides", verdict.Reason);
        Assert.False(_bn.CanApply(TinyModels.LeNetLike(), "conv1").CanApply);
    }
}
