using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class HiddenUnitPruningTechniqueTests
{
    private const int Steps = 7, Features = 5, Hidden = 8, Classes = 3;
    private static readonly int[] Shape = { 2, Steps, Features };
    private readonly HiddenUnitPruningTechnique _p2 = new();

    /// <summary>
    /// Sequential classification as PyTorch exports it (batch first): x [N, 7, 5] → Transpose → GRU/LSTM (hidden 8) →
    /// Y [7, 1, N, 8] → Squeeze(1) → Gather(last step) → [N, 8] → Gemm(8 → 3) = y. The hidden units in
    /// <paramref name="dead"/> have all-zero weights in and out: they stay 0 whatever the input, so removing them
    /// changes nothing.
    /// </summary>
    internal static OnnxModel SequenceClassifier(string op = "GRU", int[]? dead = null, bool stateIsOutput = false)
    {
        var gates = op == "LSTM" ? 4 : 3;
        var w = TinyModels.Weights(gates * Hidden * Features, 21, 0.5f);
        var r = TinyModels.Weights(gates * Hidden * Hidden, 22, 0.4f);
        var bias = TinyModels.Weights(2 * gates * Hidden, 23, 0.2f);
        var fc = TinyModels.Weights(Classes * Hidden, 24, 0.5f);
        foreach (var j in dead ?? Array.Empty<int>())
        {
            for (var g = 0; g < gates; g++)
            {
                Array.Clear(w, (g * Hidden + j) * Features, Features);
                Array.Clear(r, (g * Hidden + j) * Hidden, Hidden);
                for (var k = 0; k < gates * Hidden; k++)
                {
                    r[k * Hidden + j] = 0;
                }
            }

            for (var g = 0; g < 2 * gates; g++)
            {
                bias[g * Hidden + j] = 0;
            }
        }

        // GRU: z = r = σ(0), h̃ = tanh(0) = 0, so h stays 0. LSTM: c = 0.5·c + 0.5·tanh(0) stays 0, and h = 0.5·tanh(c) = 0.
        var b = new GraphBuilder("seq").Input("x", null, Steps, Features).Output("y", null, Classes);
        var t = b.Node("Transpose", new[] { "x" }, configure: n => n.SetInts("perm", new long[] { 1, 0, 2 }), name: "to_time_major");
        var ys = b.Node(op, new[] { t, b.Weight("W", new long[] { 1, gates * Hidden, Features }, w), b.Weight("R", new long[] { 1, gates * Hidden, Hidden }, r),
            b.Weight("B", new long[] { 1, 2 * gates * Hidden }, bias) }, configure: n => n.SetInt("hidden_size", Hidden), name: "rnn");
        if (stateIsOutput)
        {
            b.Graph.Node.Single(n => n.Name == "rnn").Output.Add("state");
            b.Output("state", 1, null, Hidden);
        }

        var sq = b.Node("Squeeze", new[] { ys, b.Int64s("sq_axes", new long[] { 1 }) }, name: "squeeze");
        var lastStep = b.Int64s("last", new long[] { Steps - 1 });
        var lastIndex = b.Graph.Initializer.Single(i => i.Name == lastStep);
        lastIndex.Dims.Clear(); // a scalar index: Gather drops the time axis
        var g2 = b.Node("Gather", new[] { sq, lastStep }, configure: n => n.SetInt("axis", 0), name: "last_step");
        b.Node("Gemm", new[] { g2, b.Weight("fc.weight", new long[] { Classes, Hidden }, fc), b.Weight("fc.bias", new long[] { Classes }, TinyModels.Weights(Classes, 25)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    [Theory]
    [InlineData("GRU")]
    [InlineData("LSTM")]
    public void PrunedHiddenUnits_WithZeroWeights_LeaveTheOutputsExactlyAsTheyWere(string op)
    {
        var model = SequenceClassifier(op, dead: new[] { 1, 4, 6, 7 });
        Assert.True(_p2.CanApply(model, "rnn").CanApply, _p2.CanApply(model, "rnn").Reason);

        var pruned = _p2.Apply(model, "rnn", TechniqueOptions.Default);

        var input = Input(Shape);
        var before = OrtRunner.Run(model, input, Shape);
        var after = RunChecked(model, pruned, Shape);
        Assert.True(MaxAbsDiff(before, after) < 1e-5, $"max |Δ| {MaxAbsDiff(before, after)}");
        var rnn = pruned.Graph.Node.Single(n => n.OpType == op);
        Assert.Equal(Hidden / 2, rnn.GetInt("hidden_size", 0));
        Assert.Equal(new[] { "y" }, pruned.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void Pruning_HalvesTheHiddenUnits_AndCutsTheLayersMacsAndWeights()
    {
        var model = SequenceClassifier();
        var pruned = _p2.Apply(model, "rnn", TechniqueOptions.Default);

        var input = Input(Shape);
        Assert.Equal(2 * Classes, RunChecked(model, pruned, Shape).Length);
        long Params(OnnxModel m) => m.Graph.Initializer.Where(t => t.DataType == TensorData.Float).Sum(TensorData.ElementCount);
        // GRU W 3·8·5, R 3·8·8, B 6·8 and fc 3·8 + 3 → hidden 4: W 3·4·5, R 3·4·4, B 6·4, fc 3·4 + 3.
        Assert.Equal(120 + 192 + 48 + 24 + 3, Params(model));
        Assert.Equal(60 + 48 + 24 + 12 + 3, Params(pruned));
        Assert.True(ModelAnalyzer.Analyze(pruned).TotalMacs < ModelAnalyzer.Analyze(model).TotalMacs);
    }

    [Fact]
    public void ZeroInitialStateMadeAtRunTime_IsDropped_AsPyTorchExportsIt()
    {
        // initial_h = ConstantOfShape([1, batch, 8]) with the batch read off the input: zeros, the operator's default.
        var model = SequenceClassifier(dead: new[] { 0, 2, 3, 5 });
        var g = model.Graph;
        var rnn = g.Node.Single(n => n.Name == "rnn");
        var shape = new AdaDeep.Onnx.Proto.NodeProto { OpType = "Shape", Name = "x_shape" };
        shape.Input.Add("x");
        shape.Output.Add("x_dims");
        var batch = new AdaDeep.Onnx.Proto.NodeProto { OpType = "Gather", Name = "batch" };
        batch.Input.AddRange(new[] { "x_dims", "zero_index" });
        batch.Output.Add("batch_1d");
        g.Initializer.Add(TensorData.FromInt64s("zero_index", new long[] { 1 }, new long[] { 0 }));
        g.Initializer.Add(TensorData.FromInt64s("one", new long[] { 1 }, new long[] { 1 }));
        g.Initializer.Add(TensorData.FromInt64s("hidden", new long[] { 1 }, new long[] { Hidden }));
        var concat = new AdaDeep.Onnx.Proto.NodeProto { OpType = "Concat", Name = "state_shape" };
        concat.Input.AddRange(new[] { "one", "batch_1d", "hidden" });
        concat.Output.Add("state_dims");
        concat.SetInt("axis", 0);
        var zeros = new AdaDeep.Onnx.Proto.NodeProto { OpType = "ConstantOfShape", Name = "h0" };
        zeros.Input.Add("state_dims");
        zeros.Output.Add("h0");
        foreach (var (n, at) in new[] { (shape, 0), (batch, 1), (concat, 2), (zeros, 3) })
        {
            g.Node.Insert(at, n);
        }

        rnn.Input.AddRange(new[] { "", "h0" });
        Assert.True(_p2.CanApply(model, "rnn").CanApply, _p2.CanApply(model, "rnn").Reason);

        var pruned = _p2.Apply(model, "rnn", TechniqueOptions.Default);

        var input = Input(Shape);
        Assert.True(MaxAbsDiff(OrtRunner.Run(model, input, Shape), RunChecked(model, pruned, Shape)) < 1e-5);
        Assert.DoesNotContain(pruned.Graph.Node, n => n.OpType == "ConstantOfShape");
    }

    [Fact]
    public void Level25_RemovesAQuarterOfTheHiddenUnits()
    {
        var pruned = TechniqueRegistry.Get("P2@25").Apply(SequenceClassifier(), "rnn", TechniqueOptions.Default);
        Assert.Equal(6, pruned.Graph.Node.Single(n => n.OpType == "GRU").GetInt("hidden_size", 0));
        Assert.Equal(2 * Classes, RunChecked(SequenceClassifier(), pruned, Shape).Length);
    }

    [Fact]
    public void HiddenStateThatIsAGraphOutput_IsRefusedWithTheReason()
    {
        var verdict = _p2.CanApply(SequenceClassifier(stateIsOutput: true), "rnn");
        Assert.False(verdict.CanApply);
        Assert.Contains("graph output 'state'", verdict.Reason);
    }

    [Fact]
    public void ConvAndFcLayers_AreNotItsToPrune()
    {
        var verdict = _p2.CanApply(TinyModels.LeNetLike(), "conv1");
        Assert.False(verdict.CanApply);
        Assert.Contains("not a recurrent layer", verdict.Reason);
    }
}
