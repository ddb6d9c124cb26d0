using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Tests.Analysis;

/// <summary>GRU/LSTM shapes and MACs, so keyword-spotting exports get a computation cost (issue 13.5's corpus).</summary>
public class RecurrentAnalysisTests
{
    private static OnnxModel Recurrent(string op, int gates, string direction, int dirs)
    {
        var b = new GraphBuilder("rnn").Input("x", 49, null, 40);
        var node = new NodeProto { OpType = op, Name = "cell" };
        node.Input.AddRange(new[]
        {
            "x", b.Weight("W", new long[] { dirs, gates * 64, 40 }, new float[dirs * gates * 64 * 40]),
            b.Weight("R", new long[] { dirs, gates * 64, 64 }, new float[dirs * gates * 64 * 64]),
        });
        node.Output.AddRange(op == "LSTM" ? new[] { "Y", "Y_h", "Y_c" } : new[] { "Y", "Y_h" });
        node.SetInt("hidden_size", 64).SetString("direction", direction);
        b.Graph.Node.Add(node);
        b.Output("Y", 49, dirs, null, 64);
        return b.ToModel();
    }

    [Theory]
    [InlineData("GRU", 3, "forward", 1)]
    [InlineData("LSTM", 4, "bidirectional", 2)]
    public void Shapes_AndMacs_FollowTheCellEquations(string op, int gates, string direction, int dirs)
    {
        var model = Recurrent(op, gates, direction, dirs);

        var shapes = ShapeInference.Infer(model, batchSize: 2);
        var layer = ModelAnalyzer.Analyze(model, batchSize: 2).Layers.Single();

        Assert.True(shapes.ContainsKey("Y_h"), string.Join(";", shapes.Select(kv => $"{kv.Key}=[{string.Join(",", kv.Value)}]")));
        Assert.Equal(new long[] { 49, dirs, 2, 64 }, shapes["Y"]);
        Assert.Equal(new long[] { dirs, 2, 64 }, shapes["Y_h"]);
        Assert.Equal(49L * 2 * dirs * gates * 64 * (40 + 64), layer.Macs);
    }
}
