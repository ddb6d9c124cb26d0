using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.TestUtilities;

/// <summary>
/// Tiny models with what exporters produce (issues 13 and 14): several runtime inputs of several element types,
/// float16 weights and I/O, free spatial dimensions. Deterministic weights.
/// </summary>
public static class RealWorldTinyModels
{
    /// <summary>
    /// A voice-activity-like model with three inputs: <c>input</c> float [N,16] (audio), <c>state</c> float [2,N,4]
    /// (a recurrent state) and <c>sr</c> int64 [] (the sample rate, a scalar).
    /// y[N,3] = Gemm(Relu(Gemm(input, 16→8) · sr/16000 + Gemm(ReduceMean(state, axis 0), 4→8)), 8→3).
    /// </summary>
    public static OnnxModel ThreeInputs()
    {
        var b = new GraphBuilder("vad_like");
        b.Graph.Input.Add(GraphBuilder.TensorInfo("input", TensorData.Float, new long?[] { null, 16 }));
        b.Graph.Input.Add(GraphBuilder.TensorInfo("state", TensorData.Float, new long?[] { 2, null, 4 }));
        b.Graph.Input.Add(GraphBuilder.TensorInfo("sr", TensorData.Int64, Array.Empty<long?>()));
        b.Output("y", null, 3);
        var audio = b.Node("Gemm", new[] { "input", b.Weight("fc_in.weight", new long[] { 8, 16 }, TinyModels.Weights(128, 31)), b.Weight("fc_in.bias", new long[] { 8 }, TinyModels.Weights(8, 32)) },
            configure: n => n.SetInt("transB", 1), name: "fc_in");
        var rate = b.Node("Cast", new[] { "sr" }, configure: n => n.SetInt("to", TensorData.Float), name: "sr_float");
        var scale = b.Node("Div", new[] { rate, b.Weight("sr_base", Array.Empty<long>(), new[] { 16000f }) }, name: "sr_scale");
        var scaled = b.Node("Mul", new[] { audio, scale }, name: "scaled");
        var mean = b.Node("ReduceMean", new[] { "state" }, configure: n => n.SetInts("axes", new long[] { 0 }).SetInt("keepdims", 0), name: "state_mean");
        var recurrent = b.Node("Gemm", new[] { mean, b.Weight("fc_state.weight", new long[] { 8, 4 }, TinyModels.Weights(32, 33)), b.Weight("fc_state.bias", new long[] { 8 }, TinyModels.Weights(8, 34)) },
            configure: n => n.SetInt("transB", 1), name: "fc_state");
        var sum = b.Node("Add", new[] { scaled, recurrent }, name: "mix");
        var relu = b.Node("Relu", new[] { sum }, name: "relu");
        b.Node("Gemm", new[] { relu, b.Weight("fc_out.weight", new long[] { 3, 8 }, TinyModels.Weights(24, 35)), b.Weight("fc_out.bias", new long[] { 3 }, TinyModels.Weights(3, 36)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc_out");
        return b.ToModel();
    }

    /// <summary>
    /// An fp16 classifier: x float16 [N,1,8,8] → Conv(1→4, 3×3, pad 1, float16 weights) → Relu → GlobalAveragePool →
    /// Flatten → Gemm(4→3, float16) = y float16 [N,3].
    /// </summary>
    public static OnnxModel Float16Cnn()
    {
        var b = new GraphBuilder("fp16_cnn");
        b.Graph.Input.Add(GraphBuilder.TensorInfo("x", TensorData.Float16, new long?[] { null, 1, 8, 8 }));
        b.Graph.Output.Add(GraphBuilder.TensorInfo("y", TensorData.Float16, new long?[] { null, 3 }));
        b.Graph.Initializer.Add(TensorData.FromHalves("conv.weight", new long[] { 4, 1, 3, 3 }, TinyModels.Weights(36, 41)));
        b.Graph.Initializer.Add(TensorData.FromHalves("conv.bias", new long[] { 4 }, TinyModels.Weights(4, 42)));
        b.Graph.Initializer.Add(TensorData.FromHalves("fc.weight", new long[] { 3, 4 }, TinyModels.Weights(12, 43, 2f)));
        b.Graph.Initializer.Add(TensorData.FromHalves("fc.bias", new long[] { 3 }, TinyModels.Weights(3, 44)));
        var c = b.Node("Conv", new[] { "x", "conv.weight", "conv.bias" },
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv");
        var r = b.Node("Relu", new[] { c }, name: "relu");
        var p = b.Node("GlobalAveragePool", new[] { r }, name: "gap");
        var f = b.Node("Flatten", new[] { p }, configure: n => n.SetInt("axis", 1), name: "flatten");
        b.Node("Gemm", new[] { f, "fc.weight", "fc.bias" }, output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    /// <summary>
    /// A fully convolutional classifier with free H and W: x [N,3,H,W] → Conv(3→8, 3×3, pad 1) → Relu → Conv(8→8,
    /// 3×3, pad 1) → Relu → GlobalAveragePool → Flatten → Gemm(8→2) = y [N,2]. Its MACs grow with H·W:
    /// conv1 8·3·9 = 216 and conv2 8·8·9 = 576 per pixel, 792·H·W in all, plus 16 for the Gemm.
    /// </summary>
    public static OnnxModel FreeSpatialCnn()
    {
        var b = new GraphBuilder("free_hw");
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 3 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "H" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "W" });
        b.Graph.Input.Add(new ValueInfoProto { Name = "x", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float, Shape = shape } } });
        b.Output("y", null, 2);
        var c1 = b.Node("Conv", new[] { "x", b.Weight("conv1.weight", new long[] { 8, 3, 3, 3 }, TinyModels.Weights(216, 51, 0.3f)), b.Weight("conv1.bias", new long[] { 8 }, TinyModels.Weights(8, 52)) },
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv1");
        var r1 = b.Node("Relu", new[] { c1 }, name: "relu1");
        var c2 = b.Node("Conv", new[] { r1, b.Weight("conv2.weight", new long[] { 8, 8, 3, 3 }, TinyModels.Weights(576, 53, 0.2f)), b.Weight("conv2.bias", new long[] { 8 }, TinyModels.Weights(8, 54)) },
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv2");
        var r2 = b.Node("Relu", new[] { c2 }, name: "relu2");
        var p = b.Node("GlobalAveragePool", new[] { r2 }, name: "gap");
        var f = b.Node("Flatten", new[] { p }, configure: n => n.SetInt("axis", 1), name: "flatten");
        b.Node("Gemm", new[] { f, b.Weight("fc.weight", new long[] { 2, 8 }, TinyModels.Weights(16, 55, 1f)), b.Weight("fc.bias", new long[] { 2 }, TinyModels.Weights(2, 56)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    public const int SeqSteps = 7, SeqFeatures = 5, SeqHidden = 8, SeqClasses = 3;

    /// <summary>
    /// Sequential classification as PyTorch exports it (batch first): x [N, 7, 5] → Transpose → GRU/LSTM (hidden 8) →
    /// Y [7, 1, N, 8] → Squeeze(1) → Gather(last step) → [N, 8] → Gemm(8 → 3) = y. The hidden units in
    /// <paramref name="dead"/> have all-zero weights in and out: they stay 0 whatever the input, so removing them
    /// changes nothing.
    /// </summary>
    public static OnnxModel SequenceClassifier(string op = "GRU", int[]? dead = null, bool stateIsOutput = false)
    {
        var gates = op == "LSTM" ? 4 : 3;
        var w = TinyModels.Weights(gates * SeqHidden * SeqFeatures, 21, 0.5f);
        var r = TinyModels.Weights(gates * SeqHidden * SeqHidden, 22, 0.4f);
        var bias = TinyModels.Weights(2 * gates * SeqHidden, 23, 0.2f);
        var fc = TinyModels.Weights(SeqClasses * SeqHidden, 24, 0.5f);
        foreach (var j in dead ?? Array.Empty<int>())
        {
            for (var g = 0; g < gates; g++)
            {
                Array.Clear(w, (g * SeqHidden + j) * SeqFeatures, SeqFeatures);
                Array.Clear(r, (g * SeqHidden + j) * SeqHidden, SeqHidden);
                for (var k = 0; k < gates * SeqHidden; k++)
                {
                    r[k * SeqHidden + j] = 0;
                }
            }

            for (var g = 0; g < 2 * gates; g++)
            {
                bias[g * SeqHidden + j] = 0;
            }
        }

        // GRU: z = r = σ(0), h̃ = tanh(0) = 0, so h stays 0. LSTM: c = 0.5·c + 0.5·tanh(0) stays 0, and h = 0.5·tanh(c) = 0.
        var b = new GraphBuilder("seq").Input("x", null, SeqSteps, SeqFeatures).Output("y", null, SeqClasses);
        var t = b.Node("Transpose", new[] { "x" }, configure: n => n.SetInts("perm", new long[] { 1, 0, 2 }), name: "to_time_major");
        var ys = b.Node(op, new[] { t, b.Weight("W", new long[] { 1, gates * SeqHidden, SeqFeatures }, w), b.Weight("R", new long[] { 1, gates * SeqHidden, SeqHidden }, r),
            b.Weight("B", new long[] { 1, 2 * gates * SeqHidden }, bias) }, configure: n => n.SetInt("hidden_size", SeqHidden), name: "rnn");
        if (stateIsOutput)
        {
            b.Graph.Node.Single(n => n.Name == "rnn").Output.Add("state");
            b.Output("state", 1, null, SeqHidden);
        }

        var sq = b.Node("Squeeze", new[] { ys, b.Int64s("sq_axes", new long[] { 1 }) }, name: "squeeze");
        var lastStep = b.Int64s("last", new long[] { SeqSteps - 1 });
        var lastIndex = b.Graph.Initializer.Single(i => i.Name == lastStep);
        lastIndex.Dims.Clear(); // a scalar index: Gather drops the time axis
        var g2 = b.Node("Gather", new[] { sq, lastStep }, configure: n => n.SetInt("axis", 0), name: "last_step");
        b.Node("Gemm", new[] { g2, b.Weight("fc.weight", new long[] { SeqClasses, SeqHidden }, fc), b.Weight("fc.bias", new long[] { SeqClasses }, TinyModels.Weights(SeqClasses, 25)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }
}
