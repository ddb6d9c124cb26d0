using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.ChannelGroupTestKit;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>P1 into a classifier fed by a spatial reduction (torch's x.mean([2, 3]), as ShuffleNetV2 exports it).</summary>
public class ReductionHeadChannelPruningTests
{
    private static readonly int[] Shape = { 1, 3, 6, 6 };
    private readonly ChannelPruningTechnique _p1 = new();

    private static OnnxModel Head(long keepDims)
    {
        var b = new GraphBuilder("reduce").Input("x", 1, 3, 6, 6).Output("y", 1, 5);
        var r = b.Node("Relu", new[] { Conv(b, "c", "x", 3, 6, 3, 1) }, name: "relu");
        var m = b.Node("ReduceMean", new[] { r }, configure: n => n.SetInts("axes", new long[] { 2, 3 }).SetInt("keepdims", keepDims), name: "mean");
        if (keepDims != 0)
        {
            m = b.Node("Flatten", new[] { m }, name: "flat");
        }

        b.Node("Gemm", new[] { m, b.Weight("fc.weight", new long[] { 5, 6 }, TinyModels.Weights(30, 2)), b.Weight("fc.bias", new long[] { 5 }, TinyModels.Weights(5, 3)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void NarrowsTheFcAfterASpatialMean(long keepDims)
    {
        var model = Head(keepDims);
        KillFilters(model, "c", 0, 2, 3);
        var pruned = _p1.Apply(model, "c", TechniqueOptions.Default);

        Assert.Equal(new long[] { 5, 3 }, Dims(pruned, "fc", 1));
        AssertPrunedWell(model, pruned, Shape);
        AssertSameOutputs(model, pruned, Input(Shape), Shape, 1e-4);
    }

    [Fact]
    public void RefusesAReductionOverTheChannels()
    {
        var b = new GraphBuilder("reduce").Input("x", 1, 3, 6, 6).Output("y", 1, 1, 6, 6);
        b.Node("ReduceMean", new[] { Conv(b, "c", "x", 3, 6, 3, 1) }, output: "y", configure: n => n.SetInts("axes", new long[] { 1 }), name: "mean");

        var verdict = _p1.CanApply(b.ToModel(), "c");
        Assert.False(verdict.CanApply);
        Assert.Contains("ReduceMean 'mean' does not reduce only the spatial axes", verdict.Reason);
    }
}
