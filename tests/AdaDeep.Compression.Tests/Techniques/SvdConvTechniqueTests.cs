using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class SvdConvTechniqueTests
{
    private readonly SvdConvTechnique _w1c = new();

    [Fact]
    public void FullRankReproducesTheOriginalOutputs()
    {
        var model = TinyModels.LeNetLike();
        var full = _w1c.Apply(model, "conv2", TechniqueOptions.Default with { SvdRankDivisor = 1 });
        var input = Input(LeNetShape);
        AssertSameOutputs(model, full, input, LeNetShape, 1e-4);
    }

    [Fact]
    public void DefaultIsARankOneConvThenA1x1Conv()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _w1c.Apply(model, "conv2", TechniqueOptions.Default);

        var convs = rewritten.Graph.Node.Where(n => n.Name.StartsWith("conv2_w1c", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, convs.Count);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, convs[0].Attribute.Single(a => a.Name == "pads").Ints); // geometry kept
        Assert.Equal(Parameters(model) - 288 + 36 + 8, Parameters(rewritten));
        var before = ModelAnalyzer.Analyze(model).TotalMacs;
        var after = ModelAnalyzer.Analyze(rewritten).TotalMacs;
        Assert.Equal(before - 8 * 4 * 9 * 36 + 1 * 4 * 9 * 36 + 8 * 1 * 36, after);
    }
}
