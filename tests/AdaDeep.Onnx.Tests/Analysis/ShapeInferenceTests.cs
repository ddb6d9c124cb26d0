using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Analysis;

public class ShapeInferenceTests
{
    /// <summary>x of the given shape → one node (plus the weights it needs) → y; returns y's inferred shape.</summary>
    private static long[]? InferOne(long[] x, string op, Action<GraphBuilder>? weights = null, string[]? extraInputs = null,
        Action<NodeProto>? configure = null, long opset = 13, int batch = 1)
    {
        var model = SingleNode(x, op, weights, extraInputs, configure, opset);
        return ShapeInference.Infer(model, batch).GetValueOrDefault("y");
    }

    private static OnnxModel SingleNode(long[] x, string op, Action<GraphBuilder>? weights, string[]? extraInputs,
        Action<NodeProto>? configure, long opset)
    {
        var b = new GraphBuilder("t").Input("x", x.Select(d => (long?)d).ToArray());
        weights?.Invoke(b);
        b.Node(op, new[] { "x" }.Concat(extraInputs ?? Array.Empty<string>()).ToArray(), output: "y", configure: configure);
        b.Graph.Output.Add(new ValueInfoProto { Name = "y", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float } } });
        return b.ToModel(opset);
    }

    private static string OutputOf(OnnxModel model, string nodeName) => model.Graph.Node.Single(n => n.Name == nodeName).Output[0];

    private static float[] Zeros(long[] dims) => new float[ShapeArithmetic.Product(dims)];

    private static Action<GraphBuilder> W(string name, params long[] dims) => b => b.Weight(name, dims, Zeros(dims));

    private static Action<GraphBuilder> I64(string name, params long[] values) => b => b.Int64s(name, values);

    /// <summary>The same model run in ONNX Runtime agrees with the inferred shape.</summary>
    private static void AssertOrtAgrees(OnnxModel model, long[] x)
    {
        var inferred = ShapeInference.Infer(model)["y"];
        var actual = OrtRunner.OutputShape(model, new float[ShapeArithmetic.Product(x)], x.Select(d => (int)d).ToArray());
        Assert.Equal(inferred, actual.Select(d => (long)d).ToArray());
    }

    [Fact]
    public void ConvWithPadsStridesAndDilations()
    {
        var y = InferOne(new long[] { 2, 3, 32, 32 }, "Conv", W("w", 8, 3, 3, 3), new[] { "w" },
            n => n.SetInts("pads", new long[] { 1, 1, 1, 1 }).SetInts("strides", new long[] { 2, 2 }).SetInts("dilations", new long[] { 2, 2 }));
        // effective kernel 5: (32 + 2 - 5) / 2 + 1 = 15
        Assert.Equal(new long[] { 2, 8, 15, 15 }, y);
    }

    [Theory]
    [InlineData("SAME_UPPER", 2, 16)]
    [InlineData("SAME_LOWER", 3, 11)]
    [InlineData("VALID", 2, 15)]
    [InlineData("NOTSET", 1, 30)]
    public void ConvAutoPad(string autoPad, long stride, long expected)
    {
        var model = SingleNode(new long[] { 1, 2, 32, 32 }, "Conv", W("w", 4, 2, 3, 3), new[] { "w" },
            n => n.SetString("auto_pad", autoPad).SetInts("strides", new[] { stride, stride }), 13);
        Assert.Equal(new long[] { 1, 4, expected, expected }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, new long[] { 1, 2, 32, 32 });
    }

    [Fact]
    public void GroupedConvTakesOutputChannelsFromTheWeight()
    {
        var model = SingleNode(new long[] { 1, 8, 10, 10 }, "Conv", W("w", 8, 1, 3, 3), new[] { "w" },
            n => n.SetInt("group", 8).SetInts("pads", new long[] { 1, 1, 1, 1 }), 13);
        Assert.Equal(new long[] { 1, 8, 10, 10 }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, new long[] { 1, 8, 10, 10 });
    }

    [Fact]
    public void ConvTransposeUpsamples()
    {
        var model = SingleNode(new long[] { 1, 4, 7, 7 }, "ConvTranspose", W("w", 4, 2, 3, 3), new[] { "w" },
            n => n.SetInts("strides", new long[] { 2, 2 }).SetInts("pads", new long[] { 1, 1, 1, 1 }).SetInts("output_padding", new long[] { 1, 1 }), 13);
        // 2·(7−1) + 1 + 3 − 2 = 14
        Assert.Equal(new long[] { 1, 2, 14, 14 }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, new long[] { 1, 4, 7, 7 });
    }

    [Theory]
    [InlineData(7, 3, 2, 0, 0, 3)]
    [InlineData(8, 3, 2, 0, 0, 3)]
    [InlineData(8, 3, 2, 0, 1, 4)]
    [InlineData(8, 3, 2, 1, 1, 5)]
    [InlineData(5, 2, 2, 1, 0, 3)]
    [InlineData(5, 2, 2, 1, 1, 3)] // ceil would give 4, but the fourth window would start in the end padding
    public void MaxPoolCeilModeAndPads(long width, long kernel, long stride, long pad, int ceil, long expected)
    {
        var x = new long[] { 1, 1, width, width };
        var model = SingleNode(x, "MaxPool", null, null,
            n => n.SetInts("kernel_shape", new[] { kernel, kernel }).SetInts("strides", new[] { stride, stride })
                .SetInt("ceil_mode", ceil).SetInts("pads", new[] { pad, pad, pad, pad }), 13);
        Assert.Equal(new long[] { 1, 1, expected, expected }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, x);
    }

    [Fact]
    public void AveragePoolWithAutoPadValidAndGlobalPools()
    {
        Assert.Equal(new long[] { 1, 3, 4, 4 }, InferOne(new long[] { 1, 3, 9, 9 }, "AveragePool", configure: n =>
            n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("strides", new long[] { 2, 2 }).SetString("auto_pad", "VALID")));
        Assert.Equal(new long[] { 1, 3, 1, 1 }, InferOne(new long[] { 1, 3, 9, 9 }, "GlobalAveragePool"));
        Assert.Equal(new long[] { 1, 3, 1, 1 }, InferOne(new long[] { 1, 3, 9, 9 }, "GlobalMaxPool"));
    }

    [Theory]
    [InlineData(0, 0, new long[] { 5, 3 })]
    [InlineData(1, 0, new long[] { 2, 3 })]
    [InlineData(0, 1, new long[] { 5, 7 })]
    public void GemmTransposes(int transA, int transB, long[] expected)
    {
        var a = transA == 1 ? new long[] { 4, 2 } : new long[] { 5, 4 };
        var b = transB == 1 ? new long[] { 7, 4 } : new long[] { 4, 3 };
        var y = InferOne(a, "Gemm", W("b", b), new[] { "b" }, n => n.SetInt("transA", transA).SetInt("transB", transB));
        Assert.Equal(expected, y);
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, new long[] { 3, 4 }, new long[] { 2, 4 })]
    [InlineData(new long[] { 5, 2, 3 }, new long[] { 3, 4 }, new long[] { 5, 2, 4 })]
    [InlineData(new long[] { 5, 1, 2, 3 }, new long[] { 6, 3, 4 }, new long[] { 5, 6, 2, 4 })]
    [InlineData(new long[] { 3 }, new long[] { 3, 4 }, new long[] { 4 })]
    [InlineData(new long[] { 2, 3 }, new long[] { 3 }, new long[] { 2 })]
    public void MatMulFollowsNumpy(long[] a, long[] b, long[] expected)
    {
        Assert.Equal(expected, InferOne(a, "MatMul", W("b", b), new[] { "b" }));
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    public void ArithmeticBroadcasts(string op)
    {
        var model = SingleNode(new long[] { 2, 3, 4, 5 }, op, W("c", 3, 1, 1), new[] { "c" }, null, 13);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, new long[] { 2, 3, 4, 5 });
        Assert.Equal(new long[] { 4, 3, 5 }, InferOne(new long[] { 3, 1 }, op, W("d", 4, 1, 5), new[] { "d" }));
    }

    [Fact]
    public void IncompatibleBroadcastGivesNoShape()
    {
        Assert.Null(InferOne(new long[] { 2, 3 }, "Add", W("c", 4), new[] { "c" }));
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("Clip")]
    [InlineData("Sigmoid")]
    [InlineData("HardSigmoid")]
    [InlineData("Tanh")]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    [InlineData("Dropout")]
    [InlineData("Identity")]
    [InlineData("DequantizeLinear")]
    [InlineData("QuantizeLinear")]
    public void ElementwiseOperatorsKeepTheShape(string op)
    {
        Assert.Equal(new long[] { 2, 3, 5 }, InferOne(new long[] { 2, 3, 5 }, op));
    }

    [Fact]
    public void CastKeepsTheShape()
    {
        Assert.Equal(new long[] { 4, 1 }, InferOne(new long[] { 4, 1 }, "Cast", configure: n => n.SetInt("to", TensorData.Int64)));
    }

    [Fact]
    public void BatchNormalizationKeepsTheShape()
    {
        var model = SingleNode(new long[] { 2, 3, 4, 4 }, "BatchNormalization",
            b => { W("s", 3)(b); W("bb", 3)(b); W("m", 3)(b); b.Weight("v", new long[] { 3 }, new float[] { 1, 1, 1 }); },
            new[] { "s", "bb", "m", "v" }, null, 13);
        Assert.Equal(new long[] { 2, 3, 4, 4 }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, new long[] { 2, 3, 4, 4 });
    }

    [Theory]
    [InlineData(1, new long[] { 2, 60 })]
    [InlineData(0, new long[] { 1, 120 })]
    [InlineData(2, new long[] { 6, 20 })]
    [InlineData(-1, new long[] { 24, 5 })]
    public void FlattenAxis(int axis, long[] expected)
    {
        Assert.Equal(expected, InferOne(new long[] { 2, 3, 4, 5 }, "Flatten", configure: n => n.SetInt("axis", axis)));
    }

    [Fact]
    public void ReshapeCopiesZerosAndInfersMinusOne()
    {
        var model = SingleNode(new long[] { 2, 3, 4, 5 }, "Reshape", I64("s", 0, -1, 5), new[] { "s" }, null, 13);
        Assert.Equal(new long[] { 2, 12, 5 }, ShapeInference.Infer(model)["y"]);
        AssertOrtAgrees(model, new long[] { 2, 3, 4, 5 });
    }

    [Fact]
    public void ReshapeFromTheOpset1Attribute()
    {
        var y = InferOne(new long[] { 2, 3, 4 }, "Reshape", configure: n => n.SetInts("shape", new long[] { -1, 4 }), opset: 1);
        Assert.Equal(new long[] { 6, 4 }, y);
    }

    [Fact]
    public void ReshapeFromAComputedShape()
    {
        // What PyTorch exports for x.view(x.size(0), -1): Shape → Gather → Unsqueeze → Concat → Reshape.
        var b = new GraphBuilder("t").Input("x", null, 3, 4, 4);
        var shape = b.Node("Shape", new[] { "x" });
        var batch = b.Node("Gather", new[] { shape, b.Int64s("zero", new long[] { 0 }) }, configure: n => n.SetInt("axis", 0));
        var minusOne = b.Int64s("minus_one", new long[] { -1 });
        var target = b.Node("Concat", new[] { batch, minusOne }, configure: n => n.SetInt("axis", 0));
        b.Node("Reshape", new[] { "x", target }, output: "y");
        var shapes = ShapeInference.Infer(b.ToModel(), batchSize: 5);
        Assert.Equal(new long[] { 4 }, shapes[shape]);
        Assert.Equal(new long[] { 5, 48 }, shapes["y"]);
    }

    [Fact]
    public void ConcatSumsTheAxis()
    {
        var y = InferOne(new long[] { 2, 3, 4 }, "Concat", W("c", 2, 5, 4), new[] { "c" }, n => n.SetInt("axis", 1));
        Assert.Equal(new long[] { 2, 8, 4 }, y);
        var negative = InferOne(new long[] { 2, 3, 4 }, "Concat", W("c", 2, 3, 1), new[] { "c" }, n => n.SetInt("axis", -1));
        Assert.Equal(new long[] { 2, 3, 5 }, negative);
    }

    [Fact]
    public void TransposeWithAndWithoutPerm()
    {
        Assert.Equal(new long[] { 4, 3, 2 }, InferOne(new long[] { 2, 3, 4 }, "Transpose"));
        Assert.Equal(new long[] { 2, 4, 3 }, InferOne(new long[] { 2, 3, 4 }, "Transpose", configure: n => n.SetInts("perm", new long[] { 0, 2, 1 })));
    }

    [Fact]
    public void SqueezeAndUnsqueezeInAttributeAndInputForms()
    {
        Assert.Equal(new long[] { 3, 4 }, InferOne(new long[] { 1, 3, 1, 4 }, "Squeeze", configure: n => n.SetInts("axes", new long[] { 0, 2 }), opset: 11));
        Assert.Equal(new long[] { 3, 4 }, InferOne(new long[] { 1, 3, 1, 4 }, "Squeeze", I64("a", 0, -2), new[] { "a" }));
        Assert.Equal(new long[] { 3, 4 }, InferOne(new long[] { 1, 3, 1, 4 }, "Squeeze"));
        Assert.Equal(new long[] { 1, 3, 4, 1 }, InferOne(new long[] { 3, 4 }, "Unsqueeze", configure: n => n.SetInts("axes", new long[] { 0, 3 }), opset: 11));
        Assert.Equal(new long[] { 1, 3, 4, 1 }, InferOne(new long[] { 3, 4 }, "Unsqueeze", I64("a", 0, -1), new[] { "a" }));
    }

    [Fact]
    public void ShapeGivesTheRank()
    {
        Assert.Equal(new long[] { 4 }, InferOne(new long[] { 2, 3, 4, 5 }, "Shape"));
    }

    [Fact]
    public void ScatterNDHasTheShapeOfItsData()
    {
        var y = InferOne(new long[] { 4, 3 }, "ScatterND",
            b => { b.Graph.Initializer.Add(TensorData.FromInt64s("idx", new long[] { 2, 1 }, new long[] { 0, 2 })); W("upd", 2, 3)(b); },
            new[] { "idx", "upd" });
        Assert.Equal(new long[] { 4, 3 }, y);
    }

    [Fact]
    public void WhereBroadcastsItsThreeInputs()
    {
        var y = InferOne(new long[] { 3, 1 }, "Where", b => { W("a", 1, 4)(b); W("c", 3, 4)(b); }, new[] { "a", "c" });
        Assert.Equal(new long[] { 3, 4 }, y);
    }

    [Fact]
    public void ExpandToAConstantShape()
    {
        Assert.Equal(new long[] { 2, 3, 4 }, InferOne(new long[] { 3, 1 }, "Expand", I64("s", 2, 1, 4), new[] { "s" }));
    }

    [Fact]
    public void ConstantOfShapeFromAConstantInput()
    {
        var b = new GraphBuilder("t");
        b.Node("ConstantOfShape", new[] { b.Int64s("s", new long[] { 2, 7 }) }, output: "y");
        Assert.Equal(new long[] { 2, 7 }, ShapeInference.Infer(b.ToModel())["y"]);
    }

    [Fact]
    public void NonZeroHasNoStaticShape()
    {
        Assert.Null(InferOne(new long[] { 3, 4 }, "NonZero"));
    }

    [Fact]
    public void SymbolicDimensionsBecomeTheBatchSize()
    {
        var model = TinyModels.Mlp();
        var shapes = ShapeInference.Infer(model, batchSize: 7);
        Assert.Equal(new long[] { 7, 4 }, shapes["x"]);
        Assert.Equal(new long[] { 7, 8 }, shapes[OutputOf(model, "fc1")]);
        Assert.Equal(new long[] { 7, 3 }, shapes["y"]);
    }

    [Fact]
    public void InitializersAndConstantNodesAreSeeded()
    {
        var b = new GraphBuilder("t").Input("x", 2, 3);
        b.Node("Constant", Array.Empty<string>(), output: "k",
            configure: n => n.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = TensorData.FromFloats("k", new long[] { 1, 3 }, new float[3]) }));
        b.Node("Constant", Array.Empty<string>(), output: "ints", configure: n => n.SetInts("value_ints", new long[] { 1, 2, 3, 4 }));
        b.Weight("w", new long[] { 3, 5 }, new float[15]);
        b.Node("Add", new[] { "x", "k" }, output: "y");
        var shapes = ShapeInference.Infer(b.ToModel());
        Assert.Equal(new long[] { 1, 3 }, shapes["k"]);
        Assert.Equal(new long[] { 4 }, shapes["ints"]);
        Assert.Equal(new long[] { 3, 5 }, shapes["w"]);
        Assert.Equal(new long[] { 2, 3 }, shapes["y"]);
    }

    [Fact]
    public void UnknownOperatorsPassThroughAndValueInfoFillsIn()
    {
        var b = new GraphBuilder("t").Input("x", 2, 3);
        var mystery = b.Node("MysteryOp", new[] { "x" }, output: "m", configure: n => n.Domain = "com.example");
        var opaque = b.Node("OtherMystery", new[] { "x" }, output: "o", configure: n => n.Domain = "com.example");
        b.Node("Relu", new[] { mystery }, output: "y");
        b.Node("Relu", new[] { opaque }, output: "z");
        b.Graph.ValueInfo.Add(GraphBuilder.TensorInfo("m", TensorData.Float, new long?[] { null, 9 }));
        var shapes = ShapeInference.Infer(b.ToModel(), batchSize: 4);
        Assert.Equal(new long[] { 4, 9 }, shapes["m"]);
        Assert.Equal(new long[] { 4, 9 }, shapes["y"]);
        Assert.False(shapes.ContainsKey("o"));
        Assert.False(shapes.ContainsKey("z"));
    }

    [Fact]
    public void ComputedShapesWinOverStaleValueInfo()
    {
        var b = new GraphBuilder("t").Input("x", 2, 3);
        b.Node("Relu", new[] { "x" }, output: "y");
        b.Graph.ValueInfo.Add(GraphBuilder.TensorInfo("y", TensorData.Float, new long?[] { 99, 99 }));
        Assert.Equal(new long[] { 2, 3 }, ShapeInference.Infer(b.ToModel())["y"]);
    }

    [Fact]
    public void LeNetShapesMatchOnnxRuntime()
    {
        var model = TinyModels.LeNetLike(batch: 3);
        var shapes = ShapeInference.Infer(model);
        Assert.Equal(new long[] { 3, 4, 12, 12 }, shapes[OutputOf(model, "conv1")]);
        Assert.Equal(new long[] { 3, 8, 3, 3 }, shapes[OutputOf(model, "pool2")]);
        Assert.Equal(new long[] { 3, 72 }, shapes[OutputOf(model, "flatten")]);
        var ort = OrtRunner.OutputShape(model, new float[3 * 144], new[] { 3, 1, 12, 12 });
        Assert.Equal(shapes["y"], ort.Select(d => (long)d).ToArray());
    }

    [Fact]
    public void IfBranchesAreWalkedAndGiveTheOutputShape()
    {
        var model = SubgraphModels.IfModel();
        var shapes = ShapeInference.Infer(model);
        Assert.Equal(new long[] { 1, 4 }, shapes["then_out"]);
        Assert.Equal(new long[] { 1, 4 }, shapes["else_out"]);
        Assert.Equal(new long[] { 1, 4 }, shapes["y"]);
    }

    [Fact]
    public void LoopBodyIsSeededFromTheCarriedValues()
    {
        var shapes = ShapeInference.Infer(SubgraphModels.LoopModel(), batchSize: 2);
        Assert.Equal(new long[] { 2, 4 }, shapes["acc_in"]);
        Assert.Equal(new long[] { 2, 4 }, shapes["acc_out"]);
        Assert.Equal(new long[] { 2, 4 }, shapes["y"]);
    }

    [Fact]
    public void BatchSizeBelowOneIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapeInference.Infer(TinyModels.Mlp(), 0));
    }
}
