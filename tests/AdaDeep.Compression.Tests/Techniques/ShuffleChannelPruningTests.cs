using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>
/// P1 through channel shuffles and channel splits (ShuffleNetV2): every shuffle group must keep the same positions,
/// so the channels a shuffle interleaves are removed together, and the channels tied to them join the group.
/// </summary>
public class ShuffleChannelPruningTests
{
    internal static readonly int[] Shape = { 1, 3, 8, 8 };
    private readonly ChannelPruningTechnique _p1 = new();

    /// <summary>
    /// x → stem(3→8) → Relu; a downsampling-like unit: b1(8→4, 1×1), b2(8→4, 3×3) → Relu → Concat → shuffle (g = 2) = s1;
    /// a basic unit: s1[0:4] and br(s1[4:8], 4→4) → Relu → Concat → shuffle = s2; → head(8→5, 1×1) = y.
    /// Classes of the group of b1: {b1₀, b2₀, br₀, br₁}, {b1₁, b2₁, br₂, br₃}, {b1₂, b2₂}, {b1₃, b2₃}.
    /// </summary>
    internal static OnnxModel ShuffleUnits(bool torchChunk = false)
    {
        var b = new GraphBuilder("shuffle").Input("x", 1, 3, 8, 8).Output("y", 1, 5, 8, 8);
        var stem = b.Node("Relu", new[] { Conv(b, "stem", "x", 3, 8, 3, 1) }, name: "stem_relu");
        var b1 = b.Node("Relu", new[] { Conv(b, "b1", stem, 8, 4, 1, 2) }, name: "b1_relu");
        var b2 = b.Node("Relu", new[] { Conv(b, "b2", stem, 8, 4, 3, 3) }, name: "b2_relu");
        var s1 = Shuffle(b, "shuffle1", b.Node("Concat", new[] { b1, b2 }, configure: n => n.SetInt("axis", 1), name: "cat1"));
        var one = b.Int64s("one", new long[] { 1 });
        var (mid, end) = (b.Int64s("four", new long[] { 4 }), b.Int64s("eight", new long[] { 8 }));
        if (torchChunk)
        {
            // torch.chunk(2, dim=1) as PyTorch exports it: bounds computed from Shape(s1)[1].
            var c = b.Node("Gather", new[] { b.Node("Shape", new[] { s1 }, name: "chunk_shape"), one }, configure: n => n.SetInt("axis", 0), name: "chunk_gather");
            var half = b.Node("Div", new[] { b.Node("Add", new[] { c, one }, name: "chunk_add"), b.Int64s("two", new long[] { 2 }) }, name: "chunk_div");
            mid = b.Node("Mul", new[] { half, one }, name: "chunk_mid");
            end = b.Node("Mul", new[] { half, "two" }, name: "chunk_end");
        }

        var x1 = b.Node("Slice", new[] { s1, b.Int64s("zero", new long[] { 0 }), mid, one }, name: "split_x1");
        var x2 = b.Node("Slice", new[] { s1, mid, end, one }, name: "split_x2");
        var br = b.Node("Relu", new[] { Conv(b, "br", x2, 4, 4, 3, 4) }, name: "br_relu");
        var s2 = Shuffle(b, "shuffle2", b.Node("Concat", new[] { x1, br }, configure: n => n.SetInt("axis", 1), name: "cat2"));
        Conv(b, "head", s2, 8, 5, 1, 5);
        b.Graph.Node[^1].Output[0] = "y";
        return b.ToModel();
    }

    private static string Shuffle(GraphBuilder b, string name, string input)
    {
        var grouped = b.Node("Reshape", new[] { input, b.Int64s(name + ".s5", new long[] { 1, 2, 4, 8, 8 }) }, name: name + "_reshape");
        var t = b.Node("Transpose", new[] { grouped }, configure: n => n.SetInts("perm", new long[] { 0, 2, 1, 3, 4 }), name: name + "_transpose");
        return b.Node("Reshape", new[] { t, b.Int64s(name + ".s4", new long[] { 1, 8, 8, 8 }) }, name: name + "_merge");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PrunesThroughTwoShufflesAndASplitExactly(bool torchChunk)
    {
        var model = ShuffleUnits(torchChunk);
        KillFilters(model, "b1", 1, 3);
        KillFilters(model, "b2", 1, 3);
        KillFilters(model, "br", 2, 3);
        var pruned = _p1.Apply(model, "b1", TechniqueOptions.Default);

        Assert.Equal(new long[] { 2, 8, 1, 1 }, Dims(pruned, "b1", 1));
        Assert.Equal(new long[] { 2, 8, 3, 3 }, Dims(pruned, "b2", 1));
        Assert.Equal(new long[] { 2, 2, 3, 3 }, Dims(pruned, "br", 1));
        Assert.Equal(new long[] { 5, 4, 1, 1 }, Dims(pruned, "head", 1));
        Assert.Equal(new long[] { 1, 2, 2, 8, 8 }, Ints(pruned, "shuffle1_reshape", 1));
        Assert.Equal(new long[] { 1, 4, 8, 8 }, Ints(pruned, "shuffle2_merge", 1));
        Assert.Equal(new long[] { 2 }, Ints(pruned, "split_x1", 2));
        Assert.Equal(new long[] { 2 }, Ints(pruned, "split_x2", 1));
        Assert.DoesNotContain(pruned.Graph.Node, n => n.OpType == "Shape");
        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);
    }

    [Fact]
    public void ABranchAfterTheSplitPullsInOnlyTheChannelsItIsShuffledWith()
    {
        // br's channels interleave with s1[0:4] = b1₀, b2₀, b1₁, b2₁: the group is those and br, removed 4 at a time.
        var model = ShuffleUnits();
        KillFilters(model, "b1", 1);
        KillFilters(model, "b2", 1);
        KillFilters(model, "br", 2, 3);
        var pruned = _p1.Apply(model, "br", TechniqueOptions.Default);

        Assert.Equal(new long[] { 3, 8, 1, 1 }, Dims(pruned, "b1", 1));
        Assert.Equal(new long[] { 3, 8, 3, 3 }, Dims(pruned, "b2", 1));
        Assert.Equal(new long[] { 2, 4, 3, 3 }, Dims(pruned, "br", 1));
        Assert.Equal(new long[] { 5, 4, 1, 1 }, Dims(pruned, "head", 1));
        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);
    }

    private static long[] Ints(OnnxModel model, string node, int input) =>
        TensorData.ToInt64s(model.Graph.Initializer.Single(t => t.Name == Node(model, node).Input[input]));
}
