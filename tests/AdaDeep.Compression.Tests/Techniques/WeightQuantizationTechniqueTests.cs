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

        Assert.DoesNotContain(rewritten.Graph.Node, n => n.OpType == "DequantizeLinear");
        var mul = rewritten.Graph.Node.Single(n => n.OpType == "Mul" && n.Output[0] == Node(rewritten, node).Input[1]);
        var cast = rewritten.Graph.Node.Single(n => n.OpType == "Cast" && n.Output[0] == mul.Input[0]);
        var q = rewritten.Graph.Initializer.Single(t => t.Name == cast.Input[0]);
        Assert.Equal(TensorData.Int8, q.DataType);
        var scale = rewritten.Graph.Initializer.Single(t => t.Name == mul.Input[1]);
        Assert.Equal(perChannel ? q.Dims.Count : 0, scale.Dims.Count); // broadcast along the output axis
        if (perChannel)
        {
            // One scale per output channel: the scale's only dimension above 1 is the weight's channel dimension.
            var channelAxes = Enumerable.Range(0, scale.Dims.Count).Where(i => scale.Dims[i] != 1).ToArray();
            var axis = Assert.Single(channelAxes);
            Assert.Equal(q.Dims[axis], scale.Dims[axis]);
        }
    }

    [Theory]
    [InlineData("conv2")]
    [InlineData("fc1")]
    public void OrtFoldsTheInt8Weight_IntoAFloatConstant_WhenTheSessionIsCreated(string node)
    {
        var rewritten = _q8w.Apply(TinyModels.LeNetLike(), node, TechniqueOptions.Default);
        using var folder = new TempFolder();
        var optimized = folder.File("optimized.onnx");
        using (var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL,
            OptimizedModelFilePath = optimized,
        })
        using (new Microsoft.ML.OnnxRuntime.InferenceSession(rewritten.ToBytes(), options))
        {
        }

        var after = OnnxModel.Load(optimized);
        Assert.DoesNotContain(after.Graph.Node, n => n.OpType is "Cast" or "DequantizeLinear");
        Assert.DoesNotContain(after.Graph.Node, n => n.OpType == "Mul" && n.Name.Contains("q8w", StringComparison.Ordinal));
        Assert.DoesNotContain(after.Graph.Initializer, t => t.DataType == TensorData.Int8);
        Assert.True(FileBytes(rewritten) < FileBytes(TinyModels.LeNetLike()), "the int8 weight keeps the file small");
    }

    [Fact]
    public void Opset8ModelIsRaisedTo10_SoItsWeightsBecomeFoldableConstants()
    {
        var mnist = Mnist();
        var rewritten = _q8w.Apply(mnist, "Times212", TechniqueOptions.Default);
        Assert.Equal(10, rewritten.OpsetVersion);
        Assert.True(rewritten.Proto.IrVersion >= 5);
        // From IR 4 on, an initializer listed as a graph input is an overridable input, not a constant, for ONNX Runtime.
        var initializers = rewritten.Graph.Initializer.Select(t => t.Name).ToHashSet();
        Assert.DoesNotContain(rewritten.Graph.Input, i => initializers.Contains(i.Name));
        Assert.Single(rewritten.Graph.Input);
        var input = Input(MnistShape);
        Assert.True(RelativeError(OrtRunner.Run(rewritten, input, MnistShape), OrtRunner.Run(mnist, input, MnistShape)) < 0.02);
        Assert.True(FileBytes(rewritten) < FileBytes(mnist) - 2560 * 2);
    }

    [Fact]
    public void KeepsPerChannelScales_WhereOpset13IsUnsafe()
    {
        // Softmax changed its axis semantics in opset 13: an opset-11 model with Softmax keeps opset 11, and Mul
        // broadcasts a per-channel scale at any opset.
        var b = new GraphBuilder("s").Input("x", null, 4).Output("y", null, 3);
        var h = b.Node("Gemm", new[] { "x", b.Weight("w", new long[] { 3, 4 }, TinyModels.Weights(12, 1)), b.Weight("b", new long[] { 3 }, TinyModels.Weights(3, 2)) },
            configure: n => n.SetInt("transB", 1), name: "fc");
        b.Node("Softmax", new[] { h }, output: "y", name: "softmax");
        var model = b.ToModel(opset: 11, irVersion: 6);

        var rewritten = _q8w.Apply(model, "fc", TechniqueOptions.Default);

        Assert.Equal(11, rewritten.OpsetVersion);
        var mul = rewritten.Graph.Node.Single(n => n.OpType == "Mul");
        Assert.Equal(new long[] { 3, 1 }, rewritten.Graph.Initializer.Single(t => t.Name == mul.Input[1]).Dims);
        RunChecked(model, rewritten, MlpShape);
    }

    [Fact]
    public void RefusesWhenTheOpsetCannotReach10()
    {
        // Dropout changed in opset 10 (mask type): an opset-9 model with Dropout cannot be raised to IR 5.
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
