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

    private static NodeProto Node(string op, string[] inputs, string output, string name)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }
}
