using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.TestUtilities;

/// <summary>Tiny models with control flow (If), as voice-activity and detection exports have them.</summary>
public static class IfModels
{
    /// <summary>
    /// x[N,4] → fc (Gemm 4→4) → h; If(ReduceSum(x) &gt; 0): then h·W (W = ConstantOfShape [4,4] of 0.25, an
    /// outer-scope value read inside the branch), else Relu(h) → y[N,4].
    /// </summary>
    public static OnnxModel BranchReadingAComputedWeight()
    {
        var b = new GraphBuilder("if_model").Input("x", null, 4).Output("y", null, 4);
        var h = b.Node("Gemm", new[] { "x", b.Weight("fc.weight", new long[] { 4, 4 }, TinyModels.Weights(16, 21)), b.Weight("fc.bias", new long[] { 4 }, TinyModels.Weights(4, 22)) },
            configure: n => n.SetInt("transB", 1), name: "fc");
        var w = b.Node("ConstantOfShape", new[] { b.Int64s("w_shape", new long[] { 4, 4 }) }, output: "branch_w",
            configure: n => n.Attribute.Add(new AttributeProto
            {
                Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = TensorData.FromFloats("v", new long[] { 1 }, new[] { 0.25f }),
            }), name: "w_fill");
        var sum = b.Node("ReduceSum", new[] { "x" }, configure: n => n.SetInt("keepdims", 0), name: "sum");
        var zero = b.Weight("zero", Array.Empty<long>(), new[] { 0f });
        var cond = b.Node("Greater", new[] { sum, zero }, name: "positive");

        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(Node("MatMul", new[] { h, w }, "then_y", "then_matmul"));
        thenBranch.Output.Add(GraphBuilder.TensorInfo("then_y", TensorData.Float, new long?[] { null, 4 }));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Node("Relu", new[] { h }, "else_y", "else_relu"));
        elseBranch.Output.Add(GraphBuilder.TensorInfo("else_y", TensorData.Float, new long?[] { null, 4 }));

        b.Node("If", new[] { cond }, output: "y", configure: n =>
        {
            n.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch });
            n.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch });
        }, name: "branch");
        return b.ToModel();
    }

    /// <summary>
    /// x[1,3,8,8]; If(ReduceSum(x) &gt; 0): then a 3×3 Conv 3→4 (pads 1; its weight a subgraph initializer, as exporters
    /// write them), else a 1×1 Conv 3→4 (reading an outer-scope weight) → y[1,4,8,8]. Then: 1·4·8·8·3·3·3 = 6,912 MACs;
    /// else: 1·4·8·8·3 = 768 MACs. With <paramref name="withStem"/> a top-level 1×1 Conv 3→3 ("stem", 576 MACs) feeds
    /// the branches, so the model has one layer outside the If.
    /// </summary>
    public static OnnxModel ConvInEachBranch(bool withStem = false)
    {
        var b = new GraphBuilder("if_convs").Input("x", 1, 3, 8, 8).Output("y", 1, 4, 8, 8);
        var x = withStem ? b.Node("Conv", new[] { "x", b.Weight("stem.weight", new long[] { 3, 3, 1, 1 }, TinyModels.Weights(9, 30)) }, name: "stem") : "x";
        var outerWeight = b.Weight("else_conv.weight", new long[] { 4, 3, 1, 1 }, TinyModels.Weights(12, 31));
        var sum = b.Node("ReduceSum", new[] { "x" }, configure: n => n.SetInt("keepdims", 0), name: "sum");
        var zero = b.Weight("zero", Array.Empty<long>(), new[] { 0f });
        var cond = b.Node("Greater", new[] { sum, zero }, name: "positive");

        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Initializer.Add(TensorData.FromFloats("then_conv.weight", new long[] { 4, 3, 3, 3 }, TinyModels.Weights(108, 32)));
        var thenConv = Node("Conv", new[] { x, "then_conv.weight" }, "then_y", "then_conv");
        thenConv.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } });
        thenBranch.Node.Add(thenConv);
        thenBranch.Output.Add(GraphBuilder.TensorInfo("then_y", TensorData.Float, new long?[] { 1, 4, 8, 8 }));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Node("Conv", new[] { x, outerWeight }, "else_y", "else_conv"));
        elseBranch.Output.Add(GraphBuilder.TensorInfo("else_y", TensorData.Float, new long?[] { 1, 4, 8, 8 }));

        b.Node("If", new[] { cond }, output: "y", configure: n =>
        {
            n.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch });
            n.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch });
        }, name: "branch");
        return b.ToModel();
    }

    /// <summary>
    /// A voice-activity-like model whose pinned copy ONNX Runtime refuses (issue 23): inputs <c>input</c> float [N,16],
    /// <c>state</c> float [2,B,4] (B a free dimension of its own, not the batch) and <c>sr</c> int64 []. h = fc_in(input)
    /// (Gemm 16→16), then If(sr == 16000): h·Wt + ReduceMean(state, axes 0,1) (any B), else h·We + Squeeze(ReduceMean(
    /// state, axis 0), axis 0), which only fits B = 1 → y[N,4]. ORT checks both branches when it loads the model: with B
    /// pinned to 2 the else branch's Squeeze fails its shape check, while the model as given loads and, at 16 kHz, runs
    /// with B = 2. Opset 11 (Squeeze's axes an attribute, so the check sees them). With
    /// <paramref name="unknownOperator"/> a node of an operator no runtime knows makes the model itself unloadable.
    /// </summary>
    public static OnnxModel SqueezeInTheOtherBranch(bool unknownOperator = false)
    {
        var b = new GraphBuilder("vad_branches");
        b.Graph.Input.Add(GraphBuilder.TensorInfo("input", TensorData.Float, new long?[] { null, 16 }));
        var state = GraphBuilder.TensorInfo("state", TensorData.Float, new long?[] { 2, null, 4 });
        state.Type.TensorType.Shape.Dim[1].DimParam = "B";
        b.Graph.Input.Add(state);
        b.Graph.Input.Add(GraphBuilder.TensorInfo("sr", TensorData.Int64, Array.Empty<long?>()));
        b.Output("y", null, 4);
        var h = b.Node("Gemm", new[] { "input", b.Weight("fc_in.weight", new long[] { 16, 16 }, TinyModels.Weights(256, 51)), b.Weight("fc_in.bias", new long[] { 16 }, TinyModels.Weights(16, 52)) },
            configure: n => n.SetInt("transB", 1), name: "fc_in");
        if (unknownOperator)
        {
            h = b.Node("NoSuchOperator", new[] { h }, name: "mystery");
        }

        b.Weight("then.weight", new long[] { 16, 4 }, TinyModels.Weights(64, 53));
        b.Weight("else.weight", new long[] { 16, 4 }, TinyModels.Weights(64, 54));
        b.Graph.Initializer.Add(TensorData.FromInt64s("rate_16k", Array.Empty<long>(), new[] { 16000L }));
        var cond = b.Node("Equal", new[] { "sr", "rate_16k" }, name: "is_16k");

        var thenBranch = new GraphProto { Name = "at_16k" };
        thenBranch.Node.Add(Node("MatMul", new[] { h, "then.weight" }, "then_h", "then_fc"));
        var thenMean = Node("ReduceMean", new[] { "state" }, "then_state", "then_state_mean");
        thenMean.SetInts("axes", new long[] { 0, 1 }).SetInt("keepdims", 0);
        thenBranch.Node.Add(thenMean);
        thenBranch.Node.Add(Node("Add", new[] { "then_h", "then_state" }, "then_y", "then_mix"));
        thenBranch.Output.Add(GraphBuilder.TensorInfo("then_y", TensorData.Float, new long?[] { null, 4 }));

        var elseBranch = new GraphProto { Name = "at_8k" };
        elseBranch.Node.Add(Node("MatMul", new[] { h, "else.weight" }, "else_h", "else_fc"));
        var elseMean = Node("ReduceMean", new[] { "state" }, "else_state", "else_state_mean");
        elseMean.SetInts("axes", new long[] { 0 }).SetInt("keepdims", 0);
        elseBranch.Node.Add(elseMean);
        var squeeze = Node("Squeeze", new[] { "else_state" }, "else_squeezed", "else_squeeze");
        squeeze.SetInts("axes", new long[] { 0 });
        elseBranch.Node.Add(squeeze);
        elseBranch.Node.Add(Node("Add", new[] { "else_h", "else_squeezed" }, "else_y", "else_mix"));
        elseBranch.Output.Add(GraphBuilder.TensorInfo("else_y", TensorData.Float, new long?[] { null, 4 }));

        b.Node("If", new[] { cond }, output: "y", configure: n =>
        {
            n.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch });
            n.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch });
        }, name: "by_rate");
        return b.ToModel(opset: 11);
    }

    private static NodeProto Node(string op, string[] inputs, string output, string name)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }
}
