using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Quantization;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class StaticQuantizationTechniqueTests
{
    private readonly StaticQuantizationTechnique _q8 = new();

    private static CalibrationData Batches(int[] shape, int count) =>
        new(Enumerable.Range(0, count).Select(i => Input(shape, 100 + i)).ToList());

    [Theory]
    [InlineData("conv2")]
    [InlineData("fc1")]
    [InlineData("conv1")]
    public void CalibratedQdqStaysCloseToTheFloatModel(string node)
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _q8.Apply(model, node, TechniqueOptions.Default with { Calibration = Batches(LeNetShape, 4) });

        Assert.Equal(1, Count(rewritten, "QuantizeLinear"));
        Assert.Equal(2, Count(rewritten, "DequantizeLinear"));
        var input = Input(LeNetShape, 100);
        var error = RelativeError(OrtRunner.Run(rewritten, input, LeNetShape), OrtRunner.Run(model, input, LeNetShape));
        Assert.True(error < 0.05, $"relative error {error}");
    }

    [Fact]
    public void ZeroPointAndScaleCoverTheObservedRange()
    {
        var (scale, zp) = StaticQuantizationTechnique.UInt8Parameters(-1f, 3f);
        Assert.Equal(4f / 255, scale, 6);
        Assert.Equal(64, zp);
        Assert.Equal((1f, (byte)0), StaticQuantizationTechnique.UInt8Parameters(0f, 0f)); // constant zero activation
        Assert.Equal(0, StaticQuantizationTechnique.UInt8Parameters(0.5f, 2f).ZeroPoint); // range extended to 0
    }

    [Fact]
    public void CalibrationReadsTheActivationRange()
    {
        var model = TinyModels.LeNetLike();
        var (min, max) = ActivationCalibrator.Range(model, Node(model, "fc1").Input[0], Batches(LeNetShape, 2));
        Assert.True(min >= 0); // after Relu and MaxPool
        Assert.True(max > 0);
        var (inMin, inMax) = ActivationCalibrator.Range(model, "x", new CalibrationData(new[] { new[] { -3f, 2f } }));
        Assert.Equal((-3f, 2f), (inMin, inMax));
    }

    [Fact]
    public void SymbolicBatchIsInferredFromTheBatchLength()
    {
        var model = TinyModels.Mlp();
        var rewritten = _q8.Apply(model, "fc2", TechniqueOptions.Default with { Calibration = new CalibrationData(new[] { Input(new[] { 3, 4 }) }) });
        RunChecked(model, rewritten, MlpShape);
    }

    [Fact]
    public void RefusesWithoutCalibration()
    {
        var e = Assert.Throws<AdaDeepException>(() => _q8.Apply(TinyModels.LeNetLike(), "fc1", TechniqueOptions.Default));
        Assert.Equal(ErrorCodes.TechniqueCalibrationMissing, e.Code);
    }
}
