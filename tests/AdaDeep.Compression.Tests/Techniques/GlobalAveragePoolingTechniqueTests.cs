using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class GlobalAveragePoolingTechniqueTests
{
    private readonly GlobalAveragePoolingTechnique _l3 = new();

    [Fact]
    public void ReplacesTheWholeHead()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _l3.Apply(model, "fc1", TechniqueOptions.Default);

        Assert.Equal(0, Count(rewritten, "Gemm"));
        Assert.Equal(1, Count(rewritten, "GlobalAveragePool"));
        Assert.DoesNotContain(rewritten.Graph.Initializer, t => t.Name is "fc1.weight" or "fc1.bias" or "fc2.weight" or "fc2.bias");
        var conv = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("fc1_gap_conv_weight", StringComparison.Ordinal));
        Assert.Equal(new long[] { 10, 8, 1, 1 }, conv.Dims);
        RunChecked(model, rewritten, LeNetShape);
        Assert.Equal(Parameters(model) - (1152 + 16 + 160 + 10) + 80 + 10, Parameters(rewritten));
        Assert.True(ModelAnalyzer.Analyze(rewritten).TotalMacs < ModelAnalyzer.Analyze(model).TotalMacs);
    }

    [Fact]
    public void HeadWhoseWeightsAreSpatiallyConstantIsReproduced()
    {
        // conv(1→3) → Flatten → Gemm(3·4·4 → 5): if each class weighs all positions of a channel equally,
        // GlobalAveragePool of a 1×1 conv computes the same thing.
        var b = new GraphBuilder("head").Input("x", 1, 1, 4, 4).Output("y", 1, 5);
        var c = b.Node("Conv", new[] { "x", b.Weight("cw", new long[] { 3, 1, 1, 1 }, new[] { 1f, -0.5f, 2f }) },
            configure: n => n.SetInts("kernel_shape", new long[] { 1, 1 }), name: "conv");
        var f = b.Node("Flatten", new[] { c }, configure: n => n.SetInt("axis", 1), name: "flatten");
        var per = TinyModels.Weights(15, 3);
        var w = Enumerable.Range(0, 5 * 48).Select(i => per[i / 48 * 3 + i % 48 / 16]).ToArray();
        b.Node("Gemm", new[] { f, b.Weight("fw", new long[] { 5, 48 }, w), b.Weight("fb", new long[] { 5 }, TinyModels.Weights(5, 4)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        var model = b.ToModel();

        var rewritten = _l3.Apply(model, "fc", TechniqueOptions.Default);
        var shape = new[] { 1, 1, 4, 4 };
        var input = Input(shape);
        AssertSameOutputs(model, rewritten, input, shape, 1e-4);
    }

    [Fact]
    public void RefusesAnFcThatIsNotFedByAFeatureMap()
    {
        var verdict = _l3.CanApply(TinyModels.LeNetLike(), "fc2");
        Assert.False(verdict.CanApply);
        Assert.Contains("flattened", verdict.Reason);
        Assert.False(_l3.CanApply(TinyModels.Mlp(), "fc1").CanApply);
    }
}
