using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>Every technique that applies to a layer of the real mnist-8 model (opset 8, IR 3) still gives a model
/// that ONNX Runtime runs with the original output shape, before and after packing.</summary>
public class Mnist8Tests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var mnist = Mnist();
        foreach (var layer in new[] { "Convolution28", "Convolution110", "Times212" })
        {
            foreach (var t in TechniqueRegistry.ForLayer(mnist, layer))
            {
                data.Add(t.Id, layer);
            }
        }

        return data;
    }

    [Fact]
    public void TheExpectedTechniquesApplyToEachLayer()
    {
        var mnist = Mnist();
        Assert.Equal(new[] { "W1c", "W3", "C2", "L1", "L2", "Q8W", "Q8", "P1", "P1@25" }, TechniqueRegistry.ForLayer(mnist, "Convolution28").Select(t => t.Id));
        Assert.Equal(new[] { "W1c", "W3", "C1", "C2", "C3", "L1", "L2", "Q8W", "Q8", "P1", "P1@25" }, TechniqueRegistry.ForLayer(mnist, "Convolution110").Select(t => t.Id));
        Assert.Equal(new[] { "W1f", "W2", "W3", "L3", "Q8W", "Q8" }, TechniqueRegistry.ForLayer(mnist, "Times212").Select(t => t.Id));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RewrittenAndPackedModelsRun(string id, string layer)
    {
        var mnist = Mnist();
        var options = TechniqueOptions.Default with
        {
            PruneSparsity = 0.8f,
            Calibration = new CalibrationData(new[] { Input(MnistShape, 1), Input(MnistShape, 2) }),
        };
        var rewritten = TechniqueRegistry.Get(id).Apply(mnist, layer, options);
        var output = RunChecked(mnist, rewritten, MnistShape);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));

        var packed = WeightPacker.PackWithReport(rewritten);
        Assert.True(packed.BytesAfter <= packed.BytesBefore);
        var input = Input(MnistShape);
        AssertSameOutputs(rewritten, packed.Model, input, MnistShape, 1e-4);
    }

    [Fact]
    public void BatchNormFoldingDoesNotApplyWithoutABatchNorm() =>
        Assert.False(TechniqueRegistry.Get("BN").CanApply(Mnist(), "Convolution28").CanApply);
}
