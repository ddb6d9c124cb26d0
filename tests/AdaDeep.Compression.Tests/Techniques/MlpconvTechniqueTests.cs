using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class MlpconvTechniqueTests
{
    private readonly MlpconvTechnique _l2 = new();

    [Fact]
    public void LowRankConvPassesThroughTheReluPairsExactly()
    {
        // A rank-2 kernel [8, 3·3·3]: hidden width 4 carries ±2 components, so the block equals the conv.
        var rng = new DeterministicRandom(4);
        var u = Enumerable.Range(0, 16).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, 54).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var kernel = new float[8 * 27];
        for (var o = 0; o < 8; o++)
        {
            for (var i = 0; i < 27; i++)
            {
                kernel[o * 27 + i] = (float)(u[o * 2] * v[i * 2] + u[o * 2 + 1] * v[i * 2 + 1]);
            }
        }

        var model = TestModels.SingleConv(3, 8, 3, kernel);
        var rewritten = _l2.Apply(model, "conv", TechniqueOptions.Default);
        var shape = TestModels.SingleConvShape(3);
        var input = Input(shape);
        AssertSameOutputs(model, rewritten, input, shape, 1e-4);
        Assert.Equal(2, Count(rewritten, "Relu"));
        Assert.Equal(3, Count(rewritten, "Conv"));
    }

    [Fact]
    public void ShrinksLeNetConv2()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _l2.Apply(model, "conv2", TechniqueOptions.Default);
        // conv 4·4·9 + cccp1 4·4 + cccp2 8·4 (+ bias 8) instead of 8·4·9 (+ bias 8).
        Assert.Equal(Parameters(model) - 288 + 144 + 16 + 32, Parameters(rewritten));
    }
}
