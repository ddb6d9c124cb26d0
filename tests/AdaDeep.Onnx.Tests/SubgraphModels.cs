using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Tests;

/// <summary>Small runnable models with If and Loop bodies that read values of the enclosing graph.</summary>
internal static class SubgraphModels
{
    private const int Bool = (int)TensorProto.Types.DataType.Bool;

    /// <summary>x[1,4]: if sum(x) &gt; 0 then x + c else −x (c an outer initializer). y[1,4].</summary>
    public static OnnxModel IfModel()
    {
        var b = new GraphBuilder("if_model").Input("x", 1, 4).Output("y", 1, 4);
        b.Weight("c", new long[] { 4 }, new[] { 1f, 2f, 3f, 4f });
        b.Weight("zero", Array.Empty<long>(), new[] { 0f });
        var sum = b.Node("ReduceSum", new[] { "x" }, output: "sum", configure: n => n.SetInt("keepdims", 0));
        var cond = b.Node("Greater", new[] { sum, "zero" }, output: "cond");

        var thenBranch = new GraphBuilder("then");
        thenBranch.Node("Add", new[] { "x", "c" }, output: "then_out", name: "then_add");
        thenBranch.Graph.Output.Add(Untyped("then_out", TensorData.Float));
        var elseBranch = new GraphBuilder("else");
        elseBranch.Node("Neg", new[] { "x" }, output: "else_out", name: "else_neg");
        elseBranch.Graph.Output.Add(Untyped("else_out", TensorData.Float));

        b.Node("If", new[] { cond }, output: "y", name: "branch", configure: n =>
        {
            n.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBranch.Graph });
            n.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBranch.Graph });
        });
        return b.ToModel();
    }

    /// <summary>x[N,4]: three iterations of acc = acc + x starting from acc = x, so y = 4·x. y[N,4].</summary>
    public static OnnxModel LoopModel()
    {
        var b = new GraphBuilder("loop_model").Input("x", null, 4).Output("y", null, 4);
        b.Graph.Initializer.Add(TensorData.FromInt64s("trips", Array.Empty<long>(), new long[] { 3 }));
        b.Graph.Initializer.Add(TensorData.FromBytes("keep_going", Bool, Array.Empty<long>(), new byte[] { 1 }));

        var body = new GraphBuilder("body");
        body.Graph.Input.Add(GraphBuilder.TensorInfo("iter", TensorData.Int64, Array.Empty<long?>()));
        body.Graph.Input.Add(GraphBuilder.TensorInfo("cond_in", Bool, Array.Empty<long?>()));
        body.Graph.Input.Add(Untyped("acc_in", TensorData.Float));
        body.Node("Identity", new[] { "cond_in" }, output: "cond_out", name: "body_cond");
        body.Node("Add", new[] { "acc_in", "x" }, output: "acc_out", name: "body_add");
        body.Graph.Output.Add(GraphBuilder.TensorInfo("cond_out", Bool, Array.Empty<long?>()));
        body.Graph.Output.Add(Untyped("acc_out", TensorData.Float));

        b.Node("Loop", new[] { "trips", "keep_going", "x" }, output: "y", name: "loop", configure: n =>
            n.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body.Graph }));
        return b.ToModel();
    }

    /// <summary>A value with an element type and no shape, as exporters often write subgraph values.</summary>
    public static ValueInfoProto Untyped(string name, int elemType) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType } } };
}
