using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class SvdFcTechniqueTests
{
    private readonly SvdFcTechnique _w1f = new();

    [Fact]
    public void FullRankReproducesTheOriginalOutputs()
    {
        var model = TinyModels.LeNetLike();
        var full = _w1f.Apply(model, "fc1", TechniqueOptions.Default with { SvdRankDivisor = 1 });
        var input = Input(LeNetShape);
        AssertSameOutputs(model, full, input, LeNetShape, 1e-4);

        var mlp = TinyModels.Mlp();
        var mlpFull = _w1f.Apply(mlp, "fc1", TechniqueOptions.Default with { SvdRankDivisor = 1 });
        var x = Input(MlpShape);
        AssertSameOutputs(mlp, mlpFull, x, MlpShape, 1e-5);
    }

    [Fact]
    public void DefaultRankIsMOver12AndCutsWeightsAndMacs()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _w1f.Apply(model, "fc1", TechniqueOptions.Default);

        // m = 16 → k = 1: a 72→1 MatMul and a 1→16 Gemm replace the 72→16 Gemm.
        var weights = rewritten.Graph.Initializer.Where(t => t.Name.StartsWith("fc1_w1f", StringComparison.Ordinal)).ToList();
        Assert.Contains(weights, t => t.Dims.SequenceEqual(new long[] { 72, 1 }));
        Assert.Contains(weights, t => t.Dims.SequenceEqual(new long[] { 16, 1 }));
        Assert.Equal(Parameters(model) - 1152 + 72 + 16, Parameters(rewritten));
        Assert.True(ModelAnalyzer.Analyze(rewritten).TotalMacs < ModelAnalyzer.Analyze(model).TotalMacs);
        Assert.DoesNotContain(rewritten.Graph.Node, n => n.Name == "fc1");
    }

    [Fact]
    public void RankGrowsWithASmallerDivisorAndTheFactorsApproachW()
    {
        var model = TinyModels.LeNetLike();
        var w = TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == "fc1.weight")); // [16, 72]
        var errors = new[] { 12, 4, 2, 1 }.Select(d =>
        {
            var rewritten = _w1f.Apply(model, "fc1", TechniqueOptions.Default with { SvdRankDivisor = d });
            var first = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("fc1_w1f_in", StringComparison.Ordinal)); // [72, k]
            var second = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("fc1_w1f_out_weight", StringComparison.Ordinal)); // [16, k]
            var k = (int)first.Dims[1];
            Assert.Equal(Math.Max(1, 16 / d), k);
            var a = TensorData.ToFloats(first);
            var b = TensorData.ToFloats(second);
            double err = 0;
            for (var o = 0; o < 16; o++)
            {
                for (var i = 0; i < 72; i++)
                {
                    var approx = Enumerable.Range(0, k).Sum(r => (double)b[o * k + r] * a[i * k + r]);
                    err += Math.Pow(w[o * 72 + i] - approx, 2);
                }
            }

            return Math.Sqrt(err);
        }).ToArray();
        Assert.True(errors[0] > errors[1] && errors[1] > errors[2] && errors[2] > errors[3], string.Join(", ", errors));
        Assert.True(errors[3] < 1e-4);
    }

    [Fact]
    public void RejectsAnInvalidDivisor()
    {
        var e = Assert.Throws<AdaDeep.Onnx.Diagnostics.AdaDeepException>(() =>
            _w1f.Apply(TinyModels.Mlp(), "fc1", TechniqueOptions.Default with { SvdRankDivisor = 0 }));
        Assert.Equal(AdaDeep.Onnx.Diagnostics.ErrorCodes.TechniqueOptionInvalid, e.Code);
    }
}
