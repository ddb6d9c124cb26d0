using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Quantization;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class WeightQuantizationTechniqueTests
{
    private readonly WeightQuantizationTechnique _q8w = new();

    [Theory]
    [InlineData("conv2", true)]
    [InlineData("fc1", true)]
    [InlineData("fc1", false)]
    public void OutputsStayCloseToTheFloatModel(string node, bool perChannel)
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _q8w.Apply(model, node, TechniqueOptions.Default with { QuantizePerChannel = perChannel });
        var input = Input(LeNetShape);
        var error = RelativeError(OrtRunner.Run(rewritten, input, LeNetShape), OrtRunner.Run(model, input, LeNetShape));
        Assert.True(error < 0.02, $"relative error {error}");

        var dq = rewritten.Graph.Node.Single(n => n.OpType == "DequantizeLinear");
        Assert.Equal(dq.Output[0], Node(rewritten, node).Input[1]);
        var q = rewritten.Graph.Initializer.Single(t => t.Name == dq.Input[0]);
        Assert.Equal(TensorData.Int8, q.DataType);
        var scale = rewritten.Graph.Initializer.Single(t => t.Name == dq.Input[1]);
        Assert.Equal(perChannel ? 1 : 0, scale.Dims.Count);
        Assert.Equal(perChannel ? 1 : 0, dq.Attribute.Count);
    }

    [Fact]
    public void Opset8ModelIsRaisedTo13ForPerChannelScales()
    {
        var mnist = Mnist();
        var rewritten = _q8w.Apply(mnist, "Times212", TechniqueOptions.Default);
        Assert.Equal(13, rewritten.OpsetVersion);
        Assert.True(rewritten.Proto.IrVersion >= 7);
        // From IR 4 on, an initializer listed as a graph input is an overridable input, not a constant, for ONNX Runtime.
        var initializers = rewritten.Graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.DoesNotContain(rewritten.Graph.Input, i => initializers.Contains(i.Name));
        Assert.Single(rewritten.Graph.Input);
        var input = Input(MnistShape);
        Assert.True(RelativeError(OrtRunner.Run(rewritten, input, MnistShape), OrtRunner.Run(mnist, input, MnistShape)) < 0.02);
        Assert.True(FileBytes(rewritten) < FileBytes(mnist) - 2560 * 2);
    }

    [Fact]
    public void FallsBackToOneScalePerTensorWhenOpset13IsUnsafe()
    {
        // Softmax changed its axis semantics in opset 13: an opset-11 model with Softmax keeps opset 11.
        var b = new GraphBuilder("s").Input("x", null, 4).Output("y", null, 3);
        var h = b.Node("Gemm", new[] { "x", b.Weight("w", new long[] { 3, 4 }, TinyModels.Weights(12, 1)), b.Weight("b", new long[] { 3 }, TinyModels.Weights(3, 2)) },
            configure: n => n.SetInt("transB", 1), name: "fc");
        b.Node("Softmax", new[] { h }, output: "y", name: "softmax");
        var model = b.ToModel(opset: 11, irVersion: 6);

        var rewritten = _q8w.Apply(model, "fc", TechniqueOptions.Default);

        Assert.Equal(11, rewritten.OpsetVersion);
        Assert.Empty(rewritten.Graph.Node.Single(n => n.OpType == "DequantizeLinear").Attribute);
        RunChecked(model, rewritten, MlpShape);
    }

    [Fact]
    public void RefusesWhenTheOpsetCannotReach10()
    {
        // Dropout changed in opset 10 (mask type): an opset-9 model with Dropout cannot take DequantizeLinear.
        var b = new GraphBuilder("d").Input("x", null, 4).Output("y", null, 3);
        var h = b.Node("Dropout", new[] { "x" }, name: "drop");
        b.Node("Gemm", new[] { h, b.Weight("w", new long[] { 3, 4 }, TinyModels.Weights(12, 1)), b.Weight("b", new long[] { 3 }, TinyModels.Weights(3, 2)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        var verdict = _q8w.CanApply(b.ToModel(opset: 9, irVersion: 4), "fc");
        Assert.False(verdict.CanApply);
        Assert.Contains("Dropout", verdict.Reason);
    }

    [Fact]
    public void QuantiserIsSymmetricPerChannel()
    {
        var q = WeightQuantizer.Quantize(new[] { 1f, -0.5f, 0.25f, 0f, 0f, 0f, -2f, 1f }, new long[] { 2, 4 }, 0, true);
        Assert.Equal(new sbyte[] { 127, -64, 32, 0, 0, 0, -127, 64 }, q.Values);
        Assert.Equal(new[] { 1f / 127, 2f / 127 }, q.Scales);
        Assert.Equal(-2f, q.Dequantize(6), 5);
    }
}
