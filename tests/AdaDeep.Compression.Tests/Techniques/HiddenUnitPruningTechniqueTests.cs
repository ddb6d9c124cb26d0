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

    internal static OnnxModel SequenceClassifier(string op = "GRU", int[]? dead = null, bool stateIsOutput = false) =>
        RealWorldTinyModels.SequenceClassifier(op, dead, stateIsOutput);

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
