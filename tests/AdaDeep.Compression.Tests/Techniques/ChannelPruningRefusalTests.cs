using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>P1 refuses, with a reason naming what stops it, when a channel group reaches something it cannot narrow.</summary>
public class ChannelPruningRefusalTests
{
    private readonly ChannelPruningTechnique _p1 = new();

    [Fact]
    public void RefusesWhenAGroupMemberIsAGraphOutput()
    {
        // stem → Relu = s; Add(c(s), s) = y: the residual stream is the graph output, so neither conv can be pruned.
        var b = new GraphBuilder("out").Input("x", 1, 3, 6, 6).Output("y", 1, 4, 6, 6);
        var s = b.Node("Relu", new[] { Conv(b, "stem", "x", 3, 4, 3, 1) }, name: "relu");
        b.Node("Add", new[] { Conv(b, "c", s, 4, 4, 3, 2), s }, output: "y", name: "add");
        var model = b.ToModel();

        foreach (var conv in new[] { "stem", "c" })
        {
            var verdict = _p1.CanApply(model, conv);
            Assert.False(verdict.CanApply);
            Assert.Contains("graph output 'y'", verdict.Reason);
        }

        var error = Assert.Throws<AdaDeepException>(() => _p1.Apply(model, "stem", TechniqueOptions.Default));
        Assert.Contains("graph output", error.Message);
    }

    [Fact]
    public void RefusesAReshapeIntoGroupsThatIsNotAShuffle()
    {
        // conv(4) → Reshape [1, 2, 2, 6, 6] → Transpose (0, 1, 2, 4, 3) → Reshape [1, 4, 6, 6]: transposes space, not groups.
        var b = new GraphBuilder("shuffle").Input("x", 1, 3, 6, 6).Output("y", 1, 2, 6, 6);
        var c = Conv(b, "c", "x", 3, 4, 1, 1);
        var r = b.Node("Reshape", new[] { c, b.Int64s("s5", new long[] { 1, 2, 2, 6, 6 }) }, name: "split_groups");
        var t = b.Node("Transpose", new[] { r }, configure: n => n.SetInts("perm", new long[] { 0, 1, 2, 4, 3 }), name: "swap");
        var m = b.Node("Reshape", new[] { t, b.Int64s("s4", new long[] { 1, 4, 6, 6 }) }, name: "merge_groups");
        Conv(b, "next", m, 4, 2, 1, 2);
        b.Graph.Node[^1].Output[0] = "y";

        var verdict = _p1.CanApply(b.ToModel(), "c");
        Assert.False(verdict.CanApply);
        Assert.Contains("Reshape 'split_groups' starts a channel shuffle P1 cannot follow", verdict.Reason);
    }

    [Fact]
    public void RefusesWhenAShuffleTiesEveryChannelIntoOneClass()
    {
        // Concat(c [2], d [2]) shuffled in 4 groups of 1: the one position b = 0 of every group is the whole map.
        var b = new GraphBuilder("tied").Input("x", 1, 3, 6, 6).Output("y", 1, 2, 6, 6);
        var cat = b.Node("Concat", new[] { Conv(b, "c", "x", 3, 2, 1, 1), Conv(b, "d", "x", 3, 2, 1, 2) }, configure: n => n.SetInt("axis", 1), name: "cat");
        var r = b.Node("Reshape", new[] { cat, b.Int64s("s5", new long[] { 1, 4, 1, 6, 6 }) }, name: "groups");
        var t = b.Node("Transpose", new[] { r }, configure: n => n.SetInts("perm", new long[] { 0, 2, 1, 3, 4 }), name: "shuffle");
        var m = b.Node("Reshape", new[] { t, b.Int64s("s4", new long[] { 1, 4, 6, 6 }) }, name: "merge");
        Conv(b, "next", m, 4, 2, 1, 3);
        b.Graph.Node[^1].Output[0] = "y";

        var verdict = _p1.CanApply(b.ToModel(), "c");
        Assert.False(verdict.CanApply);
        Assert.Contains("channel shuffles tie the 4 channels of the group of 'c' into classes", verdict.Reason);
    }

    [Fact]
    public void RefusesAGroupedConvThatIsNotDepthwise()
    {
        var b = new GraphBuilder("grouped").Input("x", 1, 3, 6, 6).Output("y", 1, 4, 6, 6);
        var c = b.Node("Relu", new[] { Conv(b, "c", "x", 3, 4, 1, 1) }, name: "relu");
        b.Node("Conv", new[] { c, b.Weight("g.weight", new long[] { 4, 2, 1, 1 }, TinyModels.Weights(8, 3)) }, output: "y",
            configure: n => n.SetInts("kernel_shape", new long[] { 1, 1 }).SetInt("group", 2), name: "g");

        var verdict = _p1.CanApply(b.ToModel(), "c");
        Assert.False(verdict.CanApply);
        Assert.Contains("Conv 'g' is a grouped convolution (group = 2)", verdict.Reason);
    }

    [Fact]
    public void RefusesAnUnknownConsumerNamingIt()
    {
        var b = new GraphBuilder("unknown").Input("x", 1, 3, 6, 6).Output("y", 1, 4, 6, 6);
        var c = Conv(b, "c", "x", 3, 4, 1, 1);
        b.Node("Softmax", new[] { c }, output: "y", configure: n => n.SetInt("axis", 1), name: "soft");

        var verdict = _p1.CanApply(b.ToModel(), "c");
        Assert.False(verdict.CanApply);
        Assert.Contains("Softmax 'soft'", verdict.Reason);
    }
}
