using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Environments;

namespace AdaDeep.Search.Tests.Environments;

public class LayerGroupingTests
{
    private static LayerInfo Conv(string name, int hw, long macs) =>
        new(name, "Conv", LayerKind.Conv, new long[]?[] { new long[] { 1, 8, hw, hw } }, new long[]?[] { new long[] { 1, 8, hw, hw } }, 10, 40, 0, macs, 0);

    private static LayerInfo Fc(string name) =>
        new(name, "Gemm", LayerKind.FullyConnected, new long[]?[] { new long[] { 1, 8 } }, new long[]?[] { new long[] { 1, 3 } }, 24, 96, 0, 24, 0);

    private static string[][] Names(IReadOnlyList<IReadOnlyList<LayerInfo>> groups) =>
        groups.Select(g => g.Select(l => l.NodeName).ToArray()).ToArray();

    [Fact]
    public void StagesFollowTheResolution_ThenTheLargestIsSplit()
    {
        var layers = new[] { Conv("a", 8, 100), Conv("b", 8, 100), Conv("c", 8, 100), Conv("d", 8, 100), Conv("e", 4, 50), Conv("f", 4, 50), Fc("g") };

        Assert.Equal(new[] { new[] { "a", "b", "c", "d" }, new[] { "e", "f" }, new[] { "g" } }, Names(LayerGrouping.Stages(layers, 3)));
        Assert.Equal(new[] { new[] { "a", "b" }, new[] { "c", "d" }, new[] { "e", "f" }, new[] { "g" } }, Names(LayerGrouping.Stages(layers, 4)));
    }

    [Fact]
    public void TooManyStages_MergeTheCheapestNeighboursOfOneKind_First()
    {
        var layers = new[] { Conv("a", 16, 1000), Conv("b", 8, 10), Conv("c", 4, 20), Conv("d", 2, 500), Fc("e") };

        // b+c is the cheapest same-kind pair; next b+c with d (530) beats a with b+c (1030); the fc stays alone.
        Assert.Equal(new[] { new[] { "a" }, new[] { "b", "c" }, new[] { "d" }, new[] { "e" } }, Names(LayerGrouping.Stages(layers, 4)));
        Assert.Equal(new[] { new[] { "a" }, new[] { "b", "c", "d" }, new[] { "e" } }, Names(LayerGrouping.Stages(layers, 3)));
        Assert.Equal(new[] { new[] { "a", "b", "c", "d" }, new[] { "e" } }, Names(LayerGrouping.Stages(layers, 2)));
        Assert.Equal(new[] { new[] { "a", "b", "c", "d", "e" } }, Names(LayerGrouping.Stages(layers, 1)));
    }

    [Fact]
    public void EveryLayerIsInExactlyOneGroup_InGraphOrder()
    {
        var layers = Enumerable.Range(0, 40).Select(i => Conv($"l{i}", 32 >> (i / 10), i + 1)).ToArray();
        foreach (var max in new[] { 1, 3, 8, 40, 60 })
        {
            var groups = LayerGrouping.Stages(layers, max);
            Assert.Equal(layers.Select(l => l.NodeName), groups.SelectMany(g => g).Select(l => l.NodeName));
            Assert.Equal(Math.Min(max, 40), groups.Count);
        }
    }
}
