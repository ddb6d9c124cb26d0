using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using static AdaDeep.Compression.Tests.Torch.BridgeTestSupport;

namespace AdaDeep.Compression.Tests.Torch;

/// <summary>
/// The operators of MobileNetV2/V3, ShuffleNetV2, EfficientNet-lite and keyword-spotting RNN exports, each against
/// ONNX Runtime on a small graph (issue 13.4).
/// </summary>
public class RealArchitectureOpsTests
{
    public static TheoryData<string> Cases => new(GraphCases.Keys);

    private static readonly Dictionary<string, Func<(OnnxModel Model, int[] Shape)>> GraphCases = new()
    {
        ["shufflenet channel shuffle: slice with steps and negative ends, split, transpose, concat"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 8, 3, 3);
            Output(b, "y");
            var parts = SplitNode(b, "x", new long[] { 3, 5 });
            var left = b.Node("Slice", new[] { parts[1], b.Int64s("s0", new long[] { 1, -1 }), b.Int64s("e0", new long[] { -1, -4 }), b.Int64s("a0", new long[] { 1, 2 }), b.Int64s("st0", new long[] { 2, -1 }) });
            var r = b.Node("Reshape", new[] { parts[0], b.Int64s("shape", new long[] { 2, 3, 1, 3, 3 }) });
            var t = b.Node("Transpose", new[] { r }, configure: n => n.SetInts("perm", new long[] { 0, 2, 1, 3, 4 }));
            var back = b.Node("Reshape", new[] { t, b.Int64s("shape2", new long[] { 2, 3, 3, 3 }) });
            b.Node("Concat", new[] { back, left }, output: "y", configure: n => n.SetInt("axis", 1));
            return (b.ToModel(), new[] { 2, 8, 3, 3 });
        },
        ["pads (constant, reflect, edge), resize nearest and bilinear"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 1, 2, 4, 5);
            Output(b, "y");
            var pc = b.Node("Pad", new[] { "x", b.Int64s("p1", new long[] { 0, 0, 1, 2, 0, 0, 2, 1 }), b.Weight("v", Array.Empty<long>(), new[] { 0.5f }) });
            var pr = b.Node("Pad", new[] { pc, b.Int64s("p2", new long[] { 0, 0, 1, 1, 0, 0, 1, 1 }) }, configure: n => n.SetString("mode", "reflect"));
            var pe = b.Node("Pad", new[] { pr, b.Int64s("p3", new long[] { 0, 0, 0, 1, 0, 0, 1, 0 }) }, configure: n => n.SetString("mode", "edge"));
            var up = b.Node("Resize", new[] { pe, "", b.Weight("sc", new long[] { 4 }, new[] { 1f, 1f, 2f, 2f }) },
                configure: n => n.SetString("mode", "nearest").SetString("coordinate_transformation_mode", "asymmetric").SetString("nearest_mode", "floor"));
            b.Node("Resize", new[] { up, "", "", b.Int64s("sizes", new long[] { 1, 2, 9, 11 }) }, output: "y",
                configure: n => n.SetString("mode", "linear").SetString("coordinate_transformation_mode", "pytorch_half_pixel"));
            return (b.ToModel(), new[] { 1, 2, 4, 5 });
        },
        ["mobilenetv3 squeeze-excite (opset 14): reduce mean, hard swish, hard sigmoid, mul; reductions"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 4, 3, 3);
            Output(b, "y");
            var hs = b.Node("HardSwish", new[] { "x" });
            var pooled = b.Node("ReduceMean", new[] { hs }, configure: n => n.SetInts("axes", new long[] { 2, 3 }).SetInt("keepdims", 1));
            var fc = b.Node("Conv", new[] { pooled, b.Weight("se.w", new long[] { 4, 4, 1, 1 }, Random(16, 3)) });
            var gate = b.Node("HardSigmoid", new[] { fc }, configure: n => n.SetFloat("alpha", 1f / 6).SetFloat("beta", 0.5f));
            var scaled = b.Node("Mul", new[] { hs, gate });
            var sum = b.Node("ReduceSum", new[] { scaled, b.Int64s("axes", new long[] { 1 }) }, configure: n => n.SetInt("keepdims", 1));
            var max = b.Node("ReduceMax", new[] { scaled }, configure: n => n.SetInts("axes", new long[] { 1 }).SetInt("keepdims", 1));
            var min = b.Node("ReduceMin", new[] { scaled }, configure: n => n.SetInts("axes", new long[] { 1 }).SetInt("keepdims", 1));
            b.Node("Sum", new[] { sum, max, min }, output: "y");
            return (b.ToModel(opset: 14), new[] { 2, 4, 3, 3 });
        },
        ["elementwise math and activations: exp, log, sqrt, pow, erf, gelu, prelu, selu, elu, softplus, max, min"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 3, 4);
            Output(b, "y");
            var pos = b.Node("Add", new[] { b.Node("Abs", new[] { "x" }), b.Weight("eps", Array.Empty<long>(), new[] { 0.1f }) });
            var l = b.Node("Log", new[] { pos });
            var s = b.Node("Sqrt", new[] { pos });
            var p = b.Node("Pow", new[] { pos, b.Weight("e", Array.Empty<long>(), new[] { 1.5f }) });
            var e = b.Node("Exp", new[] { b.Node("Neg", new[] { pos }) });
            var erf = b.Node("Erf", new[] { "x" });
            var pr = b.Node("PRelu", new[] { "x", b.Weight("slope", new long[] { 4 }, new[] { 0.1f, 0.2f, 0.3f, 0.4f }) });
            var se = b.Node("Selu", new[] { "x" });
            var el = b.Node("Elu", new[] { "x" }, configure: n => n.SetFloat("alpha", 0.5f));
            var sp = b.Node("Softplus", new[] { "x" });
            var mx = b.Node("Max", new[] { l, s, p });
            var mn = b.Node("Min", new[] { e, erf, pr });
            var rc = b.Node("Reciprocal", new[] { pos });
            b.Node("Concat", new[] { mx, mn, se, el, sp, rc }, output: "y", configure: n => n.SetInt("axis", 1));
            return (b.ToModel(), new[] { 3, 4 });
        },
        ["exporter shape arithmetic: shape, constant of shape, expand, tile, range, where, equal, less, not, size"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 3);
            Output(b, "y");
            var shape = b.Node("Shape", new[] { "x" });
            var ones = b.Node("ConstantOfShape", new[] { shape }, configure: n => n.Attribute.Add(new AttributeProto
            {
                Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = TensorData.FromFloats("v", new long[] { 1 }, new[] { 2f }),
            }));
            var ex = b.Node("Expand", new[] { b.Weight("row", new long[] { 3 }, new[] { 1f, -1f, 0.5f }), shape });
            var tiled = b.Node("Tile", new[] { b.Weight("col", new long[] { 2, 1 }, new[] { 0.25f, -0.75f }), b.Int64s("reps", new long[] { 1, 3 }) });
            var range = b.Node("Cast", new[] { b.Node("Range", new[] { b.Int64s("r0", new long[] { 0 }), b.Int64s("r1", new long[] { 3 }), b.Int64s("r2", new long[] { 1 }) }.Select(Scalar(b)).ToArray()) },
                configure: n => n.SetInt("to", TensorData.Float));
            var less = b.Node("Less", new[] { "x", ex });
            var eq = b.Node("Equal", new[] { b.Node("Size", new[] { "x" }), b.Int64s("six", new long[] { 6 }) });
            var picked = b.Node("Where", new[] { b.Node("Not", new[] { less }), b.Node("Mul", new[] { "x", ones }), tiled });
            var gated = b.Node("Where", new[] { eq, picked, ex });
            b.Node("Add", new[] { gated, range }, output: "y");
            return (b.ToModel(), new[] { 2, 3 });
        },
        ["GRU as PyTorch exports it (linear_before_reset, initial state), outputs Y and Y_h"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 5, 2, 3);
            Output(b, "y");
            var gru = new NodeProto { OpType = "GRU", Name = "gru" };
            gru.Input.AddRange(new[]
            {
                "x", b.Weight("W", new long[] { 1, 12, 3 }, Random(36, 1)), b.Weight("R", new long[] { 1, 12, 4 }, Random(48, 2)),
                b.Weight("B", new long[] { 1, 24 }, Random(24, 3)), "", b.Weight("h0", new long[] { 1, 2, 4 }, Random(8, 4)),
            });
            gru.Output.AddRange(new[] { "Y", "Y_h" });
            gru.SetInt("hidden_size", 4).SetInt("linear_before_reset", 1);
            b.Graph.Node.Add(gru);
            var sum = b.Node("ReduceSum", new[] { "Y", b.Int64s("axes", new long[] { 0 }) }, configure: n => n.SetInt("keepdims", 0));
            b.Node("Add", new[] { sum, "Y_h" }, output: "y");
            return (b.ToModel(), new[] { 5, 2, 3 });
        },
        ["GRU without linear_before_reset, reverse"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 4, 1, 3);
            Output(b, "y");
            var gru = new NodeProto { OpType = "GRU", Name = "gru" };
            gru.Input.AddRange(new[] { "x", b.Weight("W", new long[] { 1, 9, 3 }, Random(27, 5)), b.Weight("R", new long[] { 1, 9, 3 }, Random(27, 6)), b.Weight("B", new long[] { 1, 18 }, Random(18, 7)) });
            gru.Output.AddRange(new[] { "Y" });
            gru.SetInt("hidden_size", 3).SetString("direction", "reverse");
            b.Graph.Node.Add(gru);
            b.Node("Identity", new[] { "Y" }, output: "y");
            return (b.ToModel(), new[] { 4, 1, 3 });
        },
        ["bidirectional LSTM, outputs Y, Y_h and Y_c"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 5, 2, 3);
            Output(b, "y");
            var lstm = new NodeProto { OpType = "LSTM", Name = "lstm" };
            lstm.Input.AddRange(new[] { "x", b.Weight("W", new long[] { 2, 16, 3 }, Random(96, 8)), b.Weight("R", new long[] { 2, 16, 4 }, Random(128, 9)), b.Weight("B", new long[] { 2, 32 }, Random(64, 10)) });
            lstm.Output.AddRange(new[] { "Y", "Y_h", "Y_c" });
            lstm.SetInt("hidden_size", 4).SetString("direction", "bidirectional");
            b.Graph.Node.Add(lstm);
            var sum = b.Node("ReduceSum", new[] { "Y", b.Int64s("axes", new long[] { 0 }) }, configure: n => n.SetInt("keepdims", 0));
            b.Node("Sum", new[] { sum, "Y_h", "Y_c" }, output: "y");
            return (b.ToModel(), new[] { 5, 2, 3 });
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Graph_MatchesOnnxRuntime(string name)
    {
        var (model, shape) = GraphCases[name]();

        var (bridge, ort) = Both(model, Random(shape.Aggregate(1, (a, b) => a * b), 42, 2f), shape);

        AssertClose(ort, bridge);
    }

    private static string[] SplitNode(GraphBuilder b, string input, long[] sizes)
    {
        var node = new NodeProto { OpType = "Split", Name = "split" };
        node.Input.AddRange(new[] { input, b.Int64s("split_sizes", sizes) });
        node.Output.AddRange(sizes.Select((_, i) => $"split_{i}"));
        node.SetInt("axis", 1);
        b.Graph.Node.Add(node);
        return node.Output.ToArray();
    }

    /// <summary>Range takes 0-d inputs: reshape a one-element initializer to a scalar.</summary>
    private static Func<string, string> Scalar(GraphBuilder b) =>
        name => b.Node("Reshape", new[] { name, b.Int64s(name + "_scalar_shape", Array.Empty<long>()) });
}
