using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class SparseConvDecompositionTechniqueTests
{
    private readonly SparseConvDecompositionTechnique _c1 = new();

    [Fact]
    public void FullBasisWithoutSparsityIsExact()
    {
        var model = TinyModels.LeNetLike();
        var exact = _c1.Apply(model, "conv2", TechniqueOptions.Default with { PcaBasisRatio = 1f, SparseKernelSparsity = 0f });
        var input = Input(LeNetShape);
        AssertSameOutputs(model, exact, input, LeNetShape, 1e-4);
    }

    [Fact]
    public void DefaultProjectsOnHalfTheChannelsAndHalvesTheKernel()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _c1.Apply(model, "conv2", TechniqueOptions.Default);

        var basis = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("conv2_c1_basis", StringComparison.Ordinal));
        var kernel = rewritten.Graph.Initializer.Single(t => t.Name.StartsWith("conv2_c1_sparse_weight", StringComparison.Ordinal));
        Assert.Equal(new long[] { 2, 4, 1, 1 }, basis.Dims);
        Assert.Equal(new long[] { 8, 2, 3, 3 }, kernel.Dims);
        Assert.Equal(72, TensorData.ToFloats(kernel).Count(v => v == 0));
        Assert.True(ModelAnalyzer.Analyze(rewritten).TotalMacs < ModelAnalyzer.Analyze(model).TotalMacs);
    }

    [Fact]
    public void RefusesASingleInputChannel()
    {
        var verdict = _c1.CanApply(TinyModels.LeNetLike(), "conv1");
        Assert.False(verdict.CanApply);
        Assert.Equal("Conv 'conv1' has 1 input channel; there is no channel basis to decompose", verdict.Reason);
    }
}
