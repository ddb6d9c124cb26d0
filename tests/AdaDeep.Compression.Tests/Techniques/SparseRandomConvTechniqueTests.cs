using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class SparseRandomConvTechniqueTests
{
    private readonly SparseRandomConvTechnique _c3 = new();

    private static float[] Kernel(OnnxModel model) =>
        TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == Node(model, "conv").Input[1]));

    [Fact]
    public void EachOutputChannelKeepsAQuarterOfItsInputs()
    {
        var model = TestModels.SingleConv(8, 6, 3);
        var rewritten = _c3.Apply(model, "conv", TechniqueOptions.Default);
        var original = Kernel(model);
        var masked = Kernel(rewritten);
        for (var o = 0; o < 6; o++)
        {
            var kept = 0;
            for (var c = 0; c < 8; c++)
            {
                var block = Enumerable.Range((o * 8 + c) * 9, 9).ToArray();
                var isKept = block.Any(i => masked[i] != 0);
                kept += isKept ? 1 : 0;
                Assert.All(block, i => Assert.Equal(isKept ? original[i] : 0f, masked[i]));
            }

            Assert.Equal(2, kept); // ⌈(1 − 0.75)·8⌉
        }

        RunChecked(model, rewritten, TestModels.SingleConvShape(8));
    }

    [Fact]
    public void MaskIsFixedBySeed()
    {
        var model = TestModels.SingleConv(8, 6, 3);
        Assert.Equal(Kernel(_c3.Apply(model, "conv", TechniqueOptions.Default)), Kernel(_c3.Apply(model, "conv", TechniqueOptions.Default)));
        Assert.NotEqual(Kernel(_c3.Apply(model, "conv", TechniqueOptions.Default)), Kernel(_c3.Apply(model, "conv", TechniqueOptions.Default with { Seed = 7 })));
    }

    [Fact]
    public void KeptInputsFollowTheta()
    {
        Assert.Equal(1, SparseRandomConvTechnique.KeptInputs(4, 0.75f));
        Assert.Equal(4, SparseRandomConvTechnique.KeptInputs(16, 0.75f));
        Assert.Equal(8, SparseRandomConvTechnique.KeptInputs(16, 0.5f));
        Assert.Equal(1, SparseRandomConvTechnique.KeptInputs(2, 0.99f));
    }

    [Fact]
    public void RefusesASingleInputChannel_SayingWhatIsMissing()
    {
        var verdict = _c3.CanApply(TinyModels.LeNetLike(), "conv1");
        Assert.False(verdict.CanApply);
        Assert.Equal("Conv 'conv1' has 1 input channel; there is no connection between channels to remove", verdict.Reason);
    }
}
