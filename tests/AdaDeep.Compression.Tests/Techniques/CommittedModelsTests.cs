using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>The other committed models (cifar10-cnn: opset 10, Reshape fed by a Constant node, Gemm head;
/// iris-mlp: opset 11 Gemm chain): every applicable technique on a layer still runs, before and after packing.</summary>
public class CommittedModelsTests
{
    [Theory]
    [InlineData("cifar10-cnn", "Conv_2", 11, new[] { 2, 3, 32, 32 })]
    [InlineData("cifar10-cnn", "Gemm_11", 6, new[] { 2, 3, 32, 32 })]
    [InlineData("iris-mlp", "Gemm_2", 5, new[] { 3, 4 })]
    public void EveryApplicableTechniqueRuns(string name, string layer, int expectedTechniques, int[] shape)
    {
        var model = OnnxModel.Load(RepoPaths.Model(name));
        var techniques = TechniqueRegistry.ForLayer(model, layer);
        Assert.Equal(expectedTechniques, techniques.Count);
        var input = Input(shape);
        var options = TechniqueOptions.Default with { PruneSparsity = 0.8f, Calibration = new CalibrationData(new[] { input }, shape) };
        foreach (var technique in techniques)
        {
            var rewritten = technique.Apply(model, layer, options);
            RunChecked(model, rewritten, shape);
            var packed = WeightPacker.Pack(rewritten);
            AssertSameOutputs(rewritten, packed, input, shape, 1e-4, technique.Id);
        }
    }
}
