using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.TestUtilities;

/// <summary>Tiny models whose matrix products sit in a Loop body, as recurrent exports write them.</summary>
public static class LoopModels
{
    private const int Bool = (int)TensorProto.Types.DataType.Bool;

    /// <summary>
    /// x[1,4]: acc = x, then <paramref name="trips"/> iterations of acc = acc·W (W [4,4], an outer initializer) → y[1,4].
    /// One iteration is 1·4·4 = 16 MACs. With <paramref name="constantTrips"/> false the trip count is computed
    /// (Size(x) − 1 = 3, not a constant), so a static analysis cannot know it.
    /// </summary>
    public static OnnxModel MatMulInBody(long trips = 3, bool constantTrips = true)
    {
        var b = new GraphBuilder("loop_matmul").Input("x", 1, 4).Output("y", 1, 4);
        b.Weight("w", new long[] { 4, 4 }, TinyModels.Weights(16, 41));
        b.Graph.Initializer.Add(TensorData.FromBytes("keep_going", Bool, Array.Empty<long>(), new byte[] { 1 }));
        string tripCount;
        if (constantTrips)
        {
            b.Graph.Initializer.Add(TensorData.FromInt64s("trips", Array.Empty<long>(), new[] { trips }));
            tripCount = "trips";
        }
        else
        {
            b.Graph.Initializer.Add(TensorData.FromInt64s("one", Array.Empty<long>(), new[] { 1L }));
            var size = b.Node("Size", new[] { "x" }, name: "size");
            tripCount = b.Node("Sub", new[] { size, "one" }, name: "trips_computed");
        }

        var body = new GraphBuilder("body");
        body.Graph.Input.Add(GraphBuilder.TensorInfo("iter", TensorData.Int64, Array.Empty<long?>()));
        body.Graph.Input.Add(GraphBuilder.TensorInfo("cond_in", Bool, Array.Empty<long?>()));
        body.Graph.Input.Add(GraphBuilder.TensorInfo("acc_in", TensorData.Float, new long?[] { 1, 4 }));
        body.Node("Identity", new[] { "cond_in" }, output: "cond_out", name: "body_cond");
        body.Node("MatMul", new[] { "acc_in", "w" }, output: "acc_out", name: "body_matmul");
        body.Graph.Output.Add(GraphBuilder.TensorInfo("cond_out", Bool, Array.Empty<long?>()));
        body.Graph.Output.Add(GraphBuilder.TensorInfo("acc_out", TensorData.Float, new long?[] { 1, 4 }));

        b.Node("Loop", new[] { tripCount, "keep_going", "x" }, output: "y", name: "loop", configure: n =>
            n.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body.Graph }));
        return b.ToModel();
    }
}
