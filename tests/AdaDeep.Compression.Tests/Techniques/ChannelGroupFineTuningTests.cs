using AdaDeep.Compression.Data;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Tests.FineTuning;
using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>The TorchSharp bridge loads, computes and fine-tunes what P1 makes of channel groups (residual, concat, depthwise, shuffle).</summary>
public class ChannelGroupFineTuningTests
{
    public static TheoryData<string, string> Groups => new()
    {
        { "residual", "stem" },
        { "two-stages", "ds" },
        { "concat", "d" },
        { "depthwise", "expand" },
        { "shuffle", "b1" },
    };

    private static (OnnxModel Model, int[] Shape) Build(string kind) => kind switch
    {
        "residual" => (ResidualChannelPruningTests.Residual(), new[] { 1, 3, 8, 8 }),
        "two-stages" => (ResidualChannelPruningTests.TwoStages(), new[] { 1, 3, 8, 8 }),
        "concat" => (ConcatChannelPruningTests.Branches(residual: true), new[] { 1, 3, 8, 8 }),
        "shuffle" => (ShuffleChannelPruningTests.ShuffleUnits(torchChunk: true), ShuffleChannelPruningTests.Shape),
        _ => (DepthwiseChannelPruningTests.MobileBlock(), DepthwiseChannelPruningTests.Shape),
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void BridgeMatchesOnnxRuntimeOnThePrunedGroup(string kind, string conv)
    {
        var (model, shape) = Build(kind);
        var pruned = new ChannelPruningTechnique().Apply(model, conv, TechniqueOptions.Default);
        Assert.Empty(OnnxOpSupport.Unsupported(pruned.Graph));

        var input = Input(shape);
        using var scope = NewDisposeScope();
        using var module = TorchGraphModule.FromOnnx(pruned);
        var bridge = module.forward(tensor(input, shape.Select(d => (long)d).ToArray())).data<float>().ToArray();
        Assert.True(MaxAbsDiff(OrtRunner.Run(pruned, input, shape), bridge) < 1e-4);
    }
}

/// <summary>Fine-tuning a P1-pruned MobileNet block trains its (narrowed) depthwise conv.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public class DepthwiseFineTuningTests
{
    [Fact]
    public void FineTuningTrainsTheNarrowedDepthwiseConv()
    {
        var teacher = DepthwiseChannelPruningTests.MobileBlock(batch: null);
        var student = new ChannelPruningTechnique().Apply(teacher, "expand", TechniqueOptions.Default);
        // Labels the teacher does not predict (so there is something to learn), trained on the labels alone.
        var rng = new Random(5);
        var labels = Enumerable.Range(0, 64).Select(_ => rng.Next(5)).ToArray();
        var data = new Dataset(TinyModels.Weights(64 * 3 * 64, 9, 2f), new[] { 3, 8, 8 }, labels, "synthetic");

        var result = Distiller.FineTune(teacher, student, data, data.Take(32),
            new FineTuneOptions(MaxEpochs: 6, BatchSize: 16, LearningRate: 0.03, Alpha: 0, Patience: 6, Seed: 1));

        Assert.True(result.ValAccuracyAfter > result.ValAccuracyBefore, $"{result.ValAccuracyBefore} -> {result.ValAccuracyAfter}");
        Assert.Equal(4, Node(result.Model, "dw").GetInt("group", 1));
        Assert.Equal(new long[] { 4, 1, 3, 3 }, Dims(result.Model, "dw", 1));
        Assert.NotEqual(Weight(student, "dw"), Weight(result.Model, "dw"));
        Assert.Equal(new[] { 2, 5 }, OrtRunner.OutputShape(result.Model, Input(new[] { 2, 3, 8, 8 }), new[] { 2, 3, 8, 8 }));
    }

    private static float[] Weight(OnnxModel model, string conv) =>
        TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == Node(model, conv).Input[1]));
}
