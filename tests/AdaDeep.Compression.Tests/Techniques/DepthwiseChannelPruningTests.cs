using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>P1 through a depthwise conv (MobileNet): the depthwise filters go with the channels they read.</summary>
public class DepthwiseChannelPruningTests
{
    internal static readonly int[] Shape = { 1, 3, 8, 8 };
    private readonly ChannelPruningTechnique _p1 = new();

    /// <summary>
    /// x → expand(3→8, 3×3) → BN → Clip(0, 6) → dw(8, 3×3, group 8) → BN → Relu → pw(8→6, 1×1) → Relu →
    /// GlobalAveragePool → Flatten → fc(6→5) = y.
    /// </summary>
    internal static OnnxModel MobileBlock(long? batch = 1)
    {
        var b = new GraphBuilder("mobile").Input("x", batch, 3, 8, 8).Output("y", batch, 5);
        var lo = b.Weight("clip.min", Array.Empty<long>(), new[] { 0f });
        var hi = b.Weight("clip.max", Array.Empty<long>(), new[] { 6f });
        var e = b.Node("Clip", new[] { Bn(b, "bn1", Conv(b, "expand", "x", 3, 8, 3, 1), 8, 10), lo, hi }, name: "relu6");
        var d = b.Node("Relu", new[] { Bn(b, "bn2", Conv(b, "dw", e, 8, 8, 3, 2, depthwise: true), 8, 20) }, name: "dw_relu");
        var p = b.Node("Relu", new[] { Conv(b, "pw", d, 8, 6, 1, 3) }, name: "pw_relu");
        var f = b.Node("Flatten", new[] { b.Node("GlobalAveragePool", new[] { p }, name: "gap") }, name: "flat");
        b.Node("Gemm", new[] { f, b.Weight("fc.weight", new long[] { 5, 6 }, AdaDeep.TestUtilities.TinyModels.Weights(30, 4)) }, output: "y",
            configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    /// <summary>The block with channels 2, 3, 5 and 6 dead: zero filters and biases, BNs mapping 0 to 0.</summary>
    internal static OnnxModel DeadChannels(long? batch = 1)
    {
        var model = MobileBlock(batch);
        var dead = new[] { 2, 3, 5, 6 };
        KillFilters(model, "expand", dead);
        KillFilters(model, "dw", dead);
        ZeroBn(model, "bn1", dead);
        ZeroBn(model, "bn2", dead);
        return model;
    }

    [Fact]
    public void PrunesTheDepthwiseConvWithTheChannelsItReads()
    {
        var model = MobileBlock();
        var pruned = _p1.Apply(model, "expand", TechniqueOptions.Default);

        Assert.Equal(new long[] { 4, 3, 3, 3 }, Dims(pruned, "expand", 1));
        Assert.Equal(new long[] { 4 }, Dims(pruned, "bn1", 1));
        Assert.Equal(new long[] { 4, 1, 3, 3 }, Dims(pruned, "dw", 1));
        Assert.Equal(4, Node(pruned, "dw").GetInt("group", 1));
        Assert.Equal(new long[] { 4 }, Dims(pruned, "bn2", 4));
        Assert.Equal(new long[] { 6, 4, 1, 1 }, Dims(pruned, "pw", 1));
        AssertPrunedWell(model, pruned, Shape);
    }

    [Fact]
    public void PruningDeadChannelsThroughTheDepthwiseConvIsExact()
    {
        var model = DeadChannels();
        var pruned = _p1.Apply(model, "expand", TechniqueOptions.Default);

        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);
    }

    [Fact]
    public void TheDepthwiseConvIsADecisionPointForItsGroup()
    {
        var model = DeadChannels();
        var fromDw = _p1.Apply(model, "dw", TechniqueOptions.Default);

        Assert.Equal(_p1.Apply(model, "expand", TechniqueOptions.Default).ToBytes(), fromDw.ToBytes());
        AssertSameOutputs(model, fromDw, Input(Shape), Shape, 1e-4);
    }
}
