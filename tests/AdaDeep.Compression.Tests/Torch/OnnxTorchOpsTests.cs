using AdaDeep.Onnx.Model;
using static AdaDeep.Compression.Tests.Torch.BridgeTestSupport;

namespace AdaDeep.Compression.Tests.Torch;

/// <summary>Each supported operator, with its attributes, against ONNX Runtime on small graphs.</summary>
public class OnnxTorchOpsTests
{
    public static TheoryData<string> Cases => new(GraphCases.Keys);

    private static readonly Dictionary<string, Func<(OnnxModel Model, int[] Shape)>> GraphCases = new()
    {
        ["conv groups, strides, dilations, asymmetric pads, batch norm, leaky relu"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 4, 9, 9);
            Output(b, "y");
            var c = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 6, 2, 3, 3 }, Random(108, 1)), b.Weight("b", new long[] { 6 }, Random(6, 2)) },
                configure: n => n.SetInt("group", 2).SetInts("strides", new long[] { 2, 1 }).SetInts("dilations", new long[] { 1, 2 })
                    .SetInts("pads", new long[] { 1, 0, 2, 1 }).SetInts("kernel_shape", new long[] { 3, 3 }));
            var bn = b.Node("BatchNormalization", new[]
            {
                c, b.Weight("scale", new long[] { 6 }, Random(6, 3)), b.Weight("bias", new long[] { 6 }, Random(6, 4)),
                b.Weight("mean", new long[] { 6 }, Random(6, 5)), b.Weight("var", new long[] { 6 }, Random(6, 6).Select(v => v + 1f).ToArray()),
            }, configure: n => n.SetFloat("epsilon", 1e-3f));
            b.Node("LeakyRelu", new[] { bn }, output: "y", configure: n => n.SetFloat("alpha", 0.2f));
            return (b.ToModel(), new[] { 2, 4, 9, 9 });
        },
        ["conv auto_pad SAME_UPPER and max pool SAME_LOWER"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 1, 2, 7, 8);
            Output(b, "y");
            var c = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 3, 2, 3, 2 }, Random(36, 7)) },
                configure: n => n.SetString("auto_pad", "SAME_UPPER").SetInts("strides", new long[] { 2, 2 }));
            b.Node("MaxPool", new[] { c }, output: "y",
                configure: n => n.SetString("auto_pad", "SAME_LOWER").SetInts("kernel_shape", new long[] { 2, 3 }).SetInts("strides", new long[] { 1, 2 }));
            return (b.ToModel(), new[] { 1, 2, 7, 8 });
        },
        ["max pool with pads, average pools with and without pad counting, concat"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 3, 8, 8);
            Output(b, "y");
            var m = b.Node("MaxPool", new[] { "x" },
                configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("strides", new long[] { 1, 1 }).SetInts("pads", new long[] { 1, 1, 1, 1 }));
            var a = b.Node("AveragePool", new[] { "x" },
                configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }));
            var ai = b.Node("AveragePool", new[] { "x" },
                configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }).SetInt("count_include_pad", 1));
            var aa = b.Node("AveragePool", new[] { "x" },
                configure: n => n.SetInts("kernel_shape", new long[] { 2, 3 }).SetInts("pads", new long[] { 0, 2, 1, 0 }));
            var aa2 = b.Node("AveragePool", new[] { aa },
                configure: n => n.SetInts("kernel_shape", new long[] { 1, 1 }).SetInts("pads", new long[] { 0, 0, 0, 0 }));
            b.Node("Concat", new[] { m, a, ai, aa2 }, output: "y", configure: n => n.SetInt("axis", 1));
            return (b.ToModel(), new[] { 2, 3, 8, 8 });
        },
        ["asymmetric max pool pads and ceil mode, global pools"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 1, 2, 7, 7);
            Output(b, "y");
            var m = b.Node("MaxPool", new[] { "x" },
                configure: n => n.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }).SetInts("pads", new long[] { 1, 0, 0, 1 }));
            var c = b.Node("MaxPool", new[] { m }, configure: n => n.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }).SetInt("ceil_mode", 1));
            var g = b.Node("GlobalAveragePool", new[] { c });
            var gm = b.Node("GlobalMaxPool", new[] { m });
            b.Node("Concat", new[] { g, gm }, output: "y", configure: n => n.SetInt("axis", 1));
            return (b.ToModel(), new[] { 1, 2, 7, 7 });
        },
        ["gemm alpha beta transA, elementwise ops with constants, activations"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 5, 3);
            Output(b, "y");
            var g = b.Node("Gemm", new[] { "x", b.Weight("w", new long[] { 5, 4 }, Random(20, 8)), b.Weight("c", new long[] { 4 }, Random(4, 9)) },
                configure: n => n.SetInt("transA", 1).SetFloat("alpha", 0.5f).SetFloat("beta", 2f));
            var s = b.Node("Sub", new[] { g, b.Weight("s", new long[] { 1 }, new[] { 0.1f }) });
            var d = b.Node("Div", new[] { s, b.Weight("d", new long[] { 4 }, new[] { 2f, 0.5f, 1f, 4f }) });
            var m = b.Node("Mul", new[] { d, b.Weight("m", new long[] { 4 }, Random(4, 10)) });
            var t = b.Node("Tanh", new[] { m });
            var sg = b.Node("Sigmoid", new[] { m });
            var h = b.Node("HardSigmoid", new[] { m }, configure: n => n.SetFloat("alpha", 0.3f).SetFloat("beta", 0.4f));
            var r = b.Node("Relu", new[] { m });
            var cl = b.Node("Clip", new[] { m, b.Weight("lo", Array.Empty<long>(), new[] { -0.1f }), b.Weight("hi", Array.Empty<long>(), new[] { 0.2f }) });
            var a1 = b.Node("Add", new[] { t, sg });
            var a2 = b.Node("Add", new[] { h, r });
            var a3 = b.Node("Add", new[] { a1, a2 });
            b.Node("Add", new[] { a3, cl }, output: "y");
            return (b.ToModel(), new[] { 5, 3 });
        },
        ["matmul on 3-D input, reshape with 0 and -1, transpose, flatten, softmax, dropout, identity, constant"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 3, 4);
            Output(b, "y");
            var mm = b.Node("MatMul", new[] { "x", b.Weight("w", new long[] { 4, 6 }, Random(24, 11)) });
            var rs = b.Node("Reshape", new[] { mm, b.Int64s("shape", new long[] { 0, -1, 2 }) });
            var tr = b.Node("Transpose", new[] { rs }, configure: n => n.SetInts("perm", new long[] { 2, 0, 1 }));
            var k = b.Node("Constant", Array.Empty<string>(), configure: n => n.Attribute.Add(new AdaDeep.Onnx.Proto.AttributeProto
            {
                Name = "value", Type = AdaDeep.Onnx.Proto.AttributeProto.Types.AttributeType.Tensor,
                T = TensorData.FromFloats("k", new long[] { 1, 1, 9 }, Random(9, 12)),
            }));
            var ad = b.Node("Add", new[] { tr, k });
            var sm = b.Node("Softmax", new[] { ad }, configure: n => n.SetInt("axis", 1));
            var dr = b.Node("Dropout", new[] { sm });
            var id = b.Node("Identity", new[] { dr });
            b.Node("Flatten", new[] { id }, output: "y", configure: n => n.SetInt("axis", 2));
            return (b.ToModel(), new[] { 2, 3, 4 });
        },
        ["squeeze and unsqueeze with axes inputs, log softmax (opset 13)"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 1, 5);
            Output(b, "y");
            var sq = b.Node("Squeeze", new[] { "x", b.Int64s("ax1", new long[] { 1 }) });
            var un = b.Node("Unsqueeze", new[] { sq, b.Int64s("ax2", new long[] { 0, -1 }) });
            b.Node("LogSoftmax", new[] { un }, output: "y", configure: n => n.SetInt("axis", 2));
            return (b.ToModel(), new[] { 2, 1, 5 });
        },
        ["pytorch-style flatten: shape, gather, unsqueeze, concat, reshape, cast"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 3, 2, 2, 2);
            Output(b, "y");
            var shape = b.Node("Shape", new[] { "x" });
            var batch = b.Node("Gather", new[] { shape, b.Int64s("zero", new long[] { 0 }) }, configure: n => n.SetInt("axis", 0));
            var target = b.Node("Concat", new[] { batch, b.Int64s("minus1", new long[] { -1 }) }, configure: n => n.SetInt("axis", 0));
            var flat = b.Node("Reshape", new[] { "x", target });
            var asInt = b.Node("Cast", new[] { flat }, configure: n => n.SetInt("to", TensorData.Int64));
            b.Node("Cast", new[] { asInt }, output: "y", configure: n => n.SetInt("to", TensorData.Float));
            return (b.ToModel(), new[] { 3, 2, 2, 2 });
        },
        ["opset 10 forms: clip attributes, 2-D softmax coercion, squeeze and unsqueeze attributes"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 3, 1, 4);
            Output(b, "y");
            var cl = b.Node("Clip", new[] { "x" }, configure: n => n.SetFloat("min", -0.3f).SetFloat("max", 0.4f));
            var sq = b.Node("Squeeze", new[] { cl }, configure: n => n.SetInts("axes", new long[] { 2 }));
            var sm = b.Node("Softmax", new[] { sq }, configure: n => n.SetInt("axis", 1));
            b.Node("Unsqueeze", new[] { sm }, output: "y", configure: n => n.SetInts("axes", new long[] { 0 }));
            return (b.ToModel(opset: 10), new[] { 2, 3, 1, 4 });
        },
        ["1-D conv and pools"] = () =>
        {
            var b = new GraphBuilder("g").Input("x", 2, 3, 10);
            Output(b, "y");
            var c = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 4, 3, 3 }, Random(36, 13)), b.Weight("b", new long[] { 4 }, Random(4, 14)) },
                configure: n => n.SetInts("pads", new long[] { 1, 1 }));
            var m = b.Node("MaxPool", new[] { c }, configure: n => n.SetInts("kernel_shape", new long[] { 2 }).SetInts("strides", new long[] { 2 }));
            b.Node("AveragePool", new[] { m }, output: "y", configure: n => n.SetInts("kernel_shape", new long[] { 2 }));
            return (b.ToModel(), new[] { 2, 3, 10 });
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
}
