using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class MagnitudePruningTechniqueTests
{
    private readonly MagnitudePruningTechnique _w3 = new();

    private static float[] Weight(OnnxModel model, string node) =>
        TensorData.ToFloats(model.Graph.Initializer.Single(t => t.Name == Node(model, node).Input[1]));

    [Fact]
    public void ThresholdZeroesExactlyTheSmallWeights()
    {
        var model = TinyModels.LeNetLike();
        var original = Weight(model, "fc1");
        var rewritten = _w3.Apply(model, "fc1", TechniqueOptions.Default with { PruneThreshold = 0.05f });
        var pruned = Weight(rewritten, "fc1");
        for (var i = 0; i < original.Length; i++)
        {
            Assert.Equal(Math.Abs(original[i]) < 0.05f ? 0f : original[i], pruned[i]);
        }

        Assert.Contains(pruned, v => v == 0);
    }

    [Fact]
    public void SparsityPrunesTheSmallestFraction()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _w3.Apply(model, "conv2", TechniqueOptions.Default with { PruneSparsity = 0.75f });
        var pruned = Weight(rewritten, "conv2");
        Assert.Equal(216, pruned.Count(v => v == 0));
        var keptMin = pruned.Where(v => v != 0).Min(Math.Abs);
        var original = Weight(model, "conv2");
        Assert.Equal(216, original.Count(v => Math.Abs(v) < keptMin));
        RunChecked(model, rewritten, LeNetShape);
    }

    [Fact]
    public void PaperThresholdKeepsTheGraphDenseAndMarksTheMask()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _w3.Apply(model, "fc1", TechniqueOptions.Default);
        var tensor = rewritten.Graph.Initializer.Single(t => t.Name == Node(rewritten, "fc1").Input[1]);
        Assert.Equal(new long[] { 16, 72 }, tensor.Dims);
        Assert.Contains(tensor.MetadataProps, p => p.Key == MagnitudePruningTechnique.KeepZerosKey);
        var input = Input(LeNetShape);
        // |w| < 0.001 changes the outputs by at most a tiny amount.
        AssertSameOutputs(model, rewritten, input, LeNetShape, 1e-2);
    }

    [Fact]
    public void RejectsASparsityOutsideTheUnitInterval()
    {
        var e = Assert.Throws<AdaDeepException>(() => _w3.Apply(TinyModels.Mlp(), "fc1", TechniqueOptions.Default with { PruneSparsity = 1f }));
        Assert.Equal(ErrorCodes.TechniqueOptionInvalid, e.Code);
    }
}
