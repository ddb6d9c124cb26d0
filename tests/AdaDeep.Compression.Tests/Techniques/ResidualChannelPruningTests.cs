using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>P1 across a residual Add: the convs writing into the same stream lose the same channels.</summary>
public class ResidualChannelPruningTests
{
    private static readonly int[] Shape = { 1, 3, 8, 8 };
    private readonly ChannelPruningTechnique _p1 = new();

    /// <summary>
    /// x → stem(3→6) → Relu = s; s → c1(6→6) → Relu → c2(6→6); Add(c2, s) → Relu = r; r → c3(6→4) → Relu →
    /// GlobalAveragePool → Flatten → fc(4→5) = y, plus r → GlobalAveragePool → Flatten → fc2(6→5) added to y.
    /// The group of stem: {stem, c2} write the stream, c1, c3 and fc2 read it.
    /// </summary>
    internal static OnnxModel Residual()
    {
        var b = new GraphBuilder("residual").Input("x", 1, 3, 8, 8).Output("y", 1, 5);
        var s = b.Node("Relu", new[] { Conv(b, "stem", "x", 3, 6, 3, 1) }, name: "stem_relu");
        var h = b.Node("Relu", new[] { Conv(b, "c1", s, 6, 6, 3, 2) }, name: "c1_relu");
        var sum = b.Node("Add", new[] { Conv(b, "c2", h, 6, 6, 3, 3), s }, name: "add");
        var r = b.Node("Relu", new[] { sum }, name: "add_relu");
        var t = b.Node("Relu", new[] { Conv(b, "c3", r, 6, 4, 1, 4) }, name: "c3_relu");
        var f1 = b.Node("Flatten", new[] { b.Node("GlobalAveragePool", new[] { t }, name: "gap1") }, name: "flat1");
        var f2 = b.Node("Flatten", new[] { b.Node("GlobalAveragePool", new[] { r }, name: "gap2") }, name: "flat2");
        var y1 = b.Node("Gemm", new[] { f1, b.Weight("fc1.weight", new long[] { 5, 4 }, TinyModels.Weights(20, 5)), b.Weight("fc1.bias", new long[] { 5 }, TinyModels.Weights(5, 6)) },
            configure: n => n.SetInt("transB", 1), name: "fc1");
        var y2 = b.Node("Gemm", new[] { f2, b.Weight("fc2.weight", new long[] { 5, 6 }, TinyModels.Weights(30, 7)) },
            configure: n => n.SetInt("transB", 1), name: "fc2");
        b.Node("Add", new[] { y1, y2 }, output: "y", name: "logits");
        return b.ToModel();
    }

    /// <summary>
    /// Two ResNet stages: stem(3→4) → Relu = s; identity block a1, a2 (4→4) added to s → Relu = t; downsampling
    /// block b1 (4→6, stride 2), b2 (6→6) added to ds(t) (1×1 4→6, stride 2) → Relu → GlobalAveragePool → Flatten →
    /// fc(6→5) = y. Groups: {stem, a2} read by a1, b1, ds; {ds, b2} read by fc.
    /// </summary>
    internal static OnnxModel TwoStages()
    {
        var b = new GraphBuilder("resnet").Input("x", 1, 3, 8, 8).Output("y", 1, 5);
        var s = b.Node("Relu", new[] { Conv(b, "stem", "x", 3, 4, 3, 1) }, name: "stem_relu");
        var a = b.Node("Relu", new[] { Conv(b, "a1", s, 4, 4, 3, 2) }, name: "a1_relu");
        var t = b.Node("Relu", new[] { b.Node("Add", new[] { Conv(b, "a2", a, 4, 4, 3, 3), s }, name: "a_add") }, name: "a_relu");
        var h = b.Node("Relu", new[] { Conv(b, "b1", t, 4, 6, 3, 4, stride: 2) }, name: "b1_relu");
        var u = b.Node("Relu", new[] { b.Node("Add", new[] { Conv(b, "b2", h, 6, 6, 3, 5), Conv(b, "ds", t, 4, 6, 1, 6, stride: 2) }, name: "b_add") }, name: "b_relu");
        var f = b.Node("Flatten", new[] { b.Node("GlobalAveragePool", new[] { u }, name: "gap") }, name: "flat");
        b.Node("Gemm", new[] { f, b.Weight("fc.weight", new long[] { 5, 6 }, TinyModels.Weights(30, 7)) }, output: "y",
            configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    [Fact]
    public void EachStageIsAGroupAndTheDownsamplingConvJoinsTheNextOne()
    {
        var model = TwoStages();
        KillFilters(model, "stem", 0, 3);
        KillFilters(model, "a2", 0, 3);
        var first = _p1.Apply(model, "a2", TechniqueOptions.Default);
        Assert.Equal(new long[] { 2, 3, 3, 3 }, Dims(first, "stem", 1));
        Assert.Equal(new long[] { 4, 2, 3, 3 }, Dims(first, "a1", 1));
        Assert.Equal(new long[] { 6, 2, 3, 3 }, Dims(first, "b1", 1));
        Assert.Equal(new long[] { 6, 2, 1, 1 }, Dims(first, "ds", 1));
        AssertPrunedWell(model, first, Shape);
        AssertSameOutputs(model, first, Input(Shape), Shape, 1e-4);

        KillFilters(model, "ds", 1, 2, 5);
        KillFilters(model, "b2", 1, 2, 5);
        var second = _p1.Apply(model, "ds", TechniqueOptions.Default);
        Assert.Equal(new long[] { 3, 4, 1, 1 }, Dims(second, "ds", 1));
        Assert.Equal(new long[] { 3, 6, 3, 3 }, Dims(second, "b2", 1));
        Assert.Equal(new long[] { 6, 4, 3, 3 }, Dims(second, "b1", 1));
        Assert.Equal(new long[] { 5, 3 }, Dims(second, "fc", 1));
        AssertPrunedWell(model, second, Shape);
        AssertSameOutputs(model, second, Input(Shape), Shape, 1e-4);
    }

    [Fact]
    public void PruningTheStemPrunesEveryConvOfTheResidualStream()
    {
        var model = Residual();
        var pruned = _p1.Apply(model, "stem", TechniqueOptions.Default);

        Assert.Equal(new long[] { 3, 3, 3, 3 }, Dims(pruned, "stem", 1));
        Assert.Equal(new long[] { 6, 3, 3, 3 }, Dims(pruned, "c1", 1));
        Assert.Equal(new long[] { 3, 6, 3, 3 }, Dims(pruned, "c2", 1));
        Assert.Equal(new long[] { 3 }, Dims(pruned, "c2", 2));
        Assert.Equal(new long[] { 4, 3, 1, 1 }, Dims(pruned, "c3", 1));
        Assert.Equal(new long[] { 5, 3 }, Dims(pruned, "fc2", 1));
        Assert.Equal(new long[] { 5, 4 }, Dims(pruned, "fc1", 1));
        AssertPrunedWell(model, pruned, Shape);
    }

    [Fact]
    public void AnyConvOfTheStreamIsTheDecisionPointForTheSameGroup()
    {
        var model = Residual();
        var fromStem = _p1.Apply(model, "stem", TechniqueOptions.Default);
        var fromC2 = _p1.Apply(model, "c2", TechniqueOptions.Default);

        Assert.Equal(OrtRunner.Run(fromStem, Input(Shape), Shape), OrtRunner.Run(fromC2, Input(Shape), Shape));
        Assert.Equal(Dims(fromStem, "c2", 1), Dims(fromC2, "c2", 1));
        Assert.Equal(_p1.Apply(model, "c2", TechniqueOptions.Default).ToBytes(), fromC2.ToBytes());
    }

    [Fact]
    public void PruningDeadStreamChannelsLeavesTheOutputsUnchanged()
    {
        // Channels 1 and 4 are zero in both convs writing the stream (so the least important): removing them is exact.
        var model = Residual();
        KillFilters(model, "stem", 1, 4);
        KillFilters(model, "c2", 1, 4);
        var pruned = _p1.Apply(model, "c2", TechniqueOptions.Default with { ChannelPruneRatio = 0.34f });

        Assert.Equal(new long[] { 4, 3, 3, 3 }, Dims(pruned, "stem", 1));
        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);
    }

    [Fact]
    public void ImportanceIsSummedOverTheGroupsConvs()
    {
        // Channel 0 of the stem is zero, but c2's filter 0 is the largest: the group keeps channel 0.
        var model = Residual();
        KillFilters(model, "stem", 0);
        var c2 = model.Graph.Initializer.Single(t => t.Name == "c2.weight");
        var values = TensorData.ToFloats(c2);
        for (var i = 0; i < 54; i++)
        {
            values[i] = 5f;
        }

        model.Graph.Initializer[model.Graph.Initializer.IndexOf(c2)] = TensorData.FromFloats("c2.weight", c2.Dims.ToArray(), values);
        var pruned = _p1.Apply(model, "stem", TechniqueOptions.Default);

        var kept = TensorData.ToFloats(pruned.Graph.Initializer.Single(t => t.Name == Node(pruned, "c2").Input[1]));
        Assert.Equal(5f, kept[0]);
    }
}
