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

    [Theory]
    [InlineData("GRU", 3)]
    [InlineData("LSTM", 4)]
    public void RecurrentLayer_GetsInt8InputAndRecurrentWeights(string op, int gates)
    {
        // x [seq 6, batch 1, 8] → GRU/LSTM (hidden 16) → Y_h [1, 1, 16]: W and R become int8 with one scale per gate row.
        const int hidden = 16, input = 8;
        var b = new GraphBuilder("rnn").Input("x", 6, 1, input).Output("h", 1, 1, hidden);
        var w = b.Weight("W", new long[] { 1, gates * hidden, input }, TinyModels.Weights(gates * hidden * input, 31, 0.4f));
        var r = b.Weight("R", new long[] { 1, gates * hidden, hidden }, TinyModels.Weights(gates * hidden * hidden, 32, 0.3f));
        var bias = b.Weight("B", new long[] { 1, 2 * gates * hidden }, TinyModels.Weights(2 * gates * hidden, 33, 0.1f));
        var node = b.Node(op, new[] { "x", w, r, bias }, output: "y_all", configure: n => n.SetInt("hidden_size", hidden), name: "rnn");
        b.Graph.Node.Single(n => n.Name == "rnn").Output.Add("h");
        var model = b.ToModel();
        Assert.True(_q8w.CanApply(model, "rnn").CanApply, _q8w.CanApply(model, "rnn").Reason);

        var rewritten = _q8w.Apply(model, "rnn", TechniqueOptions.Default);

        var shape = new[] { 6, 1, input };
        var x = Input(shape);
        var error = RelativeError(OrtRunner.Run(rewritten, x, shape), OrtRunner.Run(model, x, shape));
        Assert.True(error < 0.02, $"relative error {error}");
        var int8 = rewritten.Graph.Initializer.Where(t => t.DataType == TensorData.Int8).Select(t => TensorData.ElementCount(t)).Order().ToArray();
        Assert.Equal(new long[] { gates * hidden * input, gates * hidden * hidden }, int8);
        Assert.DoesNotContain(rewritten.Graph.Initializer, t => t.Name is "W" or "R");
        Assert.Contains(rewritten.Graph.Initializer, t => t.DataType == TensorData.Float && t.Dims.SequenceEqual(new long[] { 1, gates * hidden, 1 }));
    }

    [Fact]
    public void RecurrentLayer_IsADecisionPointOfTheAnalysis()
    {
        var b = new GraphBuilder("gru").Input("x", 4, 1, 3).Output("h", 1, 1, 5);
        var w = b.Weight("W", new long[] { 1, 15, 3 }, TinyModels.Weights(45, 1));
        var r = b.Weight("R", new long[] { 1, 15, 5 }, TinyModels.Weights(75, 2));
        b.Node("GRU", new[] { "x", w, r }, output: "y_all", configure: n => n.SetInt("hidden_size", 5), name: "gru");
        b.Graph.Node.Single().Output.Add("h");
        var layer = AdaDeep.Onnx.Analysis.ModelAnalyzer.Analyze(b.ToModel()).Layers.Single(l => l.NodeName == "gru");
        Assert.Equal(AdaDeep.Onnx.Analysis.LayerKind.Recurrent, layer.Kind);
    }

    [Fact]
    public void ApplyToAll_QuantisesEveryFloatLayerInOneRewrite_AndLeavesInt8OnesAlone()
    {
        var model = TinyModels.LeNetLike();
        var once = _q8w.Apply(model, "conv1", TechniqueOptions.Default);

        var all = WeightQuantizationTechnique.ApplyToAll(once, TechniqueOptions.Default);

        var int8 = all.Graph.Initializer.Where(t => t.DataType == TensorData.Int8).Select(t => TensorData.ElementCount(t)).Order().ToArray();
        Assert.Equal(new long[] { 36, 160, 288, 1152 }, int8); // conv1 (already), fc2, conv2, fc1: each once
        var input = Input(LeNetShape);
        var error = RelativeError(OrtRunner.Run(all, input, LeNetShape), OrtRunner.Run(model, input, LeNetShape));
        Assert.True(error < 0.03, $"relative error {error}");
        Assert.Same(all, WeightQuantizationTechnique.ApplyToAll(all, TechniqueOptions.Default));
    }

    [Theory]
    [InlineData(2)]   // grouped: 8 channels in 2 groups of 4
    [InlineData(8)]   // depthwise: one filter per channel
    public void GroupedConv_GetsInt8Weights_WithOneScalePerOutputChannel(int groups)
    {
        var b = new GraphBuilder("grouped").Input("x", 1, 8, 6, 6).Output("y", 1, 8, 6, 6);
        var perGroup = 8 / groups;
        b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 8, perGroup, 3, 3 }, TinyModels.Weights(8 * perGroup * 9, 41)), b.Weight("b", new long[] { 8 }, TinyModels.Weights(8, 42)) },
            output: "y", configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }).SetInt("group", groups), name: "conv");
        var model = b.ToModel();

        var rewritten = _q8w.Apply(model, "conv", TechniqueOptions.Default);

        var shape = new[] { 1, 8, 6, 6 };
        var input = Input(shape);
        var error = RelativeError(OrtRunner.Run(rewritten, input, shape), OrtRunner.Run(model, input, shape));
        Assert.True(error < 0.02, $"relative error {error}");
        Assert.Equal(8 * perGroup * 9, TensorData.ElementCount(rewritten.Graph.Initializer.Single(t => t.DataType == TensorData.Int8)));
        Assert.Contains(rewritten.Graph.Initializer, t => t.DataType == TensorData.Float && t.Dims.SequenceEqual(new long[] { 8, 1, 1, 1 }));
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
