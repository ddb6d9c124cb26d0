using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>P1 across a Concat on the channels: the pruned channels sit at an offset of the concatenated map.</summary>
public class ConcatChannelPruningTests
{
    private static readonly int[] Shape = { 1, 3, 8, 8 };
    private readonly ChannelPruningTechnique _p1 = new();

    /// <summary>
    /// x → a(3→4) → Relu, x → b(3→4) → Relu; Concat = m [8]; with <paramref name="residual"/>, m + d(3→8 on x)
    /// → Relu; then → head(8→5, 1×1) = y. The SqueezeNet expand layers and Inception branches look like this.
    /// </summary>
    internal static OnnxModel Branches(bool residual = false)
    {
        var b = new GraphBuilder("concat").Input("x", 1, 3, 8, 8).Output("y", 1, 5, 8, 8);
        var a = b.Node("Relu", new[] { Conv(b, "a", "x", 3, 4, 1, 1) }, name: "a_relu");
        var c = b.Node("Relu", new[] { Conv(b, "b", "x", 3, 4, 3, 2) }, name: "b_relu");
        var m = b.Node("Concat", new[] { a, c }, configure: n => n.SetInt("axis", 1), name: "cat");
        if (residual)
        {
            m = b.Node("Relu", new[] { b.Node("Add", new[] { m, Conv(b, "d", "x", 3, 8, 1, 3) }, name: "add") }, name: "add_relu");
        }

        Conv(b, "head", m, 8, 5, 1, 4);
        b.Graph.Node[^1].Output[0] = "y";
        return b.ToModel();
    }

    [Theory]
    [InlineData("a", 0)]
    [InlineData("b", 4)]
    public void NarrowsTheConsumerAtTheBranchsOffset(string branch, int offset)
    {
        var model = Branches();
        KillFilters(model, branch, 0, 3);
        var pruned = _p1.Apply(model, branch, TechniqueOptions.Default);

        Assert.Equal(new long[] { 2, 3 }, Dims(pruned, branch, 1).Take(2));
        Assert.Equal(new long[] { 5, 6, 1, 1 }, Dims(pruned, "head", 1));
        var head = TensorData.ToFloats(pruned.Graph.Initializer.Single(t => t.Name == Node(pruned, "head").Input[1]));
        var original = TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == "head.weight"));
        var kept = Enumerable.Range(0, 8).Where(c => c != offset && c != offset + 3).ToArray();
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(o => kept.Select(c => original[o * 8 + c])), head);
        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);
    }

    [Fact]
    public void AConcatAddedToAConvCouplesTheBranchesAndTheConv()
    {
        // Pruning d (8 channels) reaches back through the Concat: a loses channels 0..3's share, b the rest.
        var model = Branches(residual: true);
        KillFilters(model, "d", 1, 2, 5, 6);
        KillFilters(model, "a", 1, 2);
        KillFilters(model, "b", 1, 2);
        var pruned = _p1.Apply(model, "d", TechniqueOptions.Default);

        Assert.Equal(new long[] { 4, 3, 1, 1 }, Dims(pruned, "d", 1));
        Assert.Equal(new long[] { 2, 3, 1, 1 }, Dims(pruned, "a", 1));
        Assert.Equal(new long[] { 2, 3, 3, 3 }, Dims(pruned, "b", 1));
        Assert.Equal(new long[] { 5, 4, 1, 1 }, Dims(pruned, "head", 1));
        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);

        // From a branch: a's channels are tied to d's first four.
        var fromA = _p1.Apply(model, "a", TechniqueOptions.Default);
        Assert.Equal(new long[] { 2, 3, 1, 1 }, Dims(fromA, "a", 1));
        Assert.Equal(new long[] { 6, 3, 1, 1 }, Dims(fromA, "d", 1));
        Assert.Equal(new long[] { 4, 3, 3, 3 }, Dims(fromA, "b", 1));
        AssertSameOutputs(model, fromA, Input(Shape), Shape, 1e-4);
    }
}
