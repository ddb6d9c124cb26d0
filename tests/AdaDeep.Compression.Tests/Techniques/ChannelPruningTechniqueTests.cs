using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class ChannelPruningTechniqueTests
{
    private readonly ChannelPruningTechnique _p1 = new();

    [Fact]
    public void NarrowsTheConvAndTheFcAfterTheFlatten()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _p1.Apply(model, "conv2", TechniqueOptions.Default);

        Assert.Equal(new long[] { 4, 4, 3, 3 }, Dims(rewritten, Node(rewritten, "conv2").Input[1]));
        Assert.Equal(new long[] { 4 }, Dims(rewritten, Node(rewritten, "conv2").Input[2]));
        Assert.Equal(new long[] { 16, 36 }, Dims(rewritten, Node(rewritten, "fc1").Input[1]));
        RunChecked(model, rewritten, LeNetShape);
        Assert.True(ModelAnalyzer.Analyze(rewritten).TotalMacs < ModelAnalyzer.Analyze(model).TotalMacs);
    }

    [Fact]
    public void P1At25_RemovesAQuarterOfTheChannels_WhateverTheRatioOption()
    {
        var model = TinyModels.LeNetLike();
        var gentle = TechniqueRegistry.Get("P1@25");
        var rewritten = gentle.Apply(model, "conv2", TechniqueOptions.Default with { ChannelPruneRatio = 0.75f });

        Assert.Equal("P1@25", gentle.Id);
        Assert.Equal(new long[] { 6, 4, 3, 3 }, Dims(rewritten, Node(rewritten, "conv2").Input[1]));
        RunChecked(model, rewritten, LeNetShape);
    }

    [Fact]
    public void LayersCovered_IsTheWholeDependencyGroup()
    {
        ICompressionTechnique p1 = _p1;
        var residual = ResidualChannelPruningTests.Residual();

        Assert.Equal(new[] { "conv2" }, p1.LayersCovered(TinyModels.LeNetLike(), "conv2"));
        Assert.Equal(new[] { "c2", "stem" }, p1.LayersCovered(residual, "c2").Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "c2", "stem" }, p1.LayersCovered(residual, "stem").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PruningDeadChannelsLeavesTheOutputsUnchanged()
    {
        // Zero four of conv2's filters and biases: those channels are 0 after Relu, so removing them is exact.
        var model = TinyModels.LeNetLike();
        var w = model.Graph.Initializer.Single(t => t.Name == "conv2.weight");
        var values = TensorData.ToFloats(w);
        var bias = model.Graph.Initializer.Single(t => t.Name == "conv2.bias");
        var b = TensorData.ToFloats(bias);
        foreach (var dead in new[] { 1, 2, 5, 6 })
        {
            Array.Clear(values, dead * 36, 36);
            b[dead] = 0;
        }

        model.Graph.Initializer[model.Graph.Initializer.IndexOf(w)] = TensorData.FromFloats("conv2.weight", w.Dims, values);
        model.Graph.Initializer[model.Graph.Initializer.IndexOf(bias)] = TensorData.FromFloats("conv2.bias", bias.Dims, b);

        var rewritten = _p1.Apply(model, "conv2", TechniqueOptions.Default);
        var input = Input(LeNetShape);
        AssertSameOutputs(model, rewritten, input, LeNetShape, 1e-5);
    }

    [Fact]
    public void NarrowsTheNextConvAndPerChannelConstantsOnMnist()
    {
        var mnist = Mnist();
        var first = _p1.Apply(mnist, "Convolution28", TechniqueOptions.Default);
        Assert.Equal(new long[] { 4, 1, 5, 5 }, Dims(first, Node(first, "Convolution28").Input[1]));
        Assert.Equal(new long[] { 4, 1, 1 }, Dims(first, Node(first, "Plus30").Input[1]));
        Assert.Equal(new long[] { 16, 4, 5, 5 }, Dims(first, Node(first, "Convolution110").Input[1]));
        RunChecked(mnist, first, MnistShape);

        var second = _p1.Apply(mnist, "Convolution110", TechniqueOptions.Default);
        Assert.Equal(new long[] { 128, 10 }, Dims(second, Node(second, "Times212").Input[1]));
        Assert.Equal(new long[] { 1, 128 }, TensorData.ToInt64s(second.Graph.Initializer.Single(t => t.Name == Node(second, "Times212_reshape0").Input[1])));
        RunChecked(mnist, second, MnistShape);
    }

    [Fact]
    public void RefusesWhenAConsumerCannotBeAdjusted()
    {
        // conv → Concat: the concatenated channels feed something P1 does not narrow.
        var b = new GraphBuilder("cat").Input("x", 1, 2, 6, 6).Output("y", 1, 6, 6, 6);
        var c = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 4, 2, 1, 1 }, TinyModels.Weights(8, 1)) },
            configure: n => n.SetInts("kernel_shape", new long[] { 1, 1 }), name: "conv");
        b.Node("Concat", new[] { c, "x" }, output: "y", configure: n => n.SetInt("axis", 1), name: "cat");
        var verdict = _p1.CanApply(b.ToModel(), "conv");
        Assert.False(verdict.CanApply);
        Assert.Contains("Concat", verdict.Reason);

        Assert.False(_p1.CanApply(TestModels.SingleConv(3, 4, 3), "conv").CanApply); // output is the graph output
    }

    private static long[] Dims(OnnxModel model, string initializer) =>
        model.Graph.Initializer.Single(t => t.Name == initializer).Dims.ToArray();
}
