using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Devices.Tests.Costs;

/// <summary>The cost model on the analyzer's output for real models: totals agree with the analysis and Eq. 5.</summary>
public class CostModelOnRealModelsTests
{
    [Theory]
    [InlineData("mnist-8")]
    [InlineData("cifar10-cnn")]
    [InlineData("iris-mlp")]
    public void Totals_agree_with_the_analysis(string name)
    {
        var model = OnnxModel.Load(RepoPaths.Model(name));
        var analysis = ModelAnalyzer.Analyze(model);
        var device = DeviceCatalog.Default.Resolve("sony-sw3");

        var estimate = CostModel.Estimate(analysis, device);

        Assert.Equal(analysis.Layers.Count, estimate.Layers.Count);
        Assert.Equal(analysis.TotalMacs, estimate.Macs);
        Assert.Equal(analysis.TotalParameterBytes * 8, estimate.WeightBits);
        var inPlaceActivations = analysis.Layers.Where(l => CostModel.InPlaceOps.Contains(l.OpType)).Sum(l => l.Activations);
        Assert.Equal((analysis.TotalActivations - inPlaceActivations) * 32, estimate.ActivationBits);
        Assert.Equal(analysis.FileBytes, estimate.FileBytes);
        Assert.Equal(CostModel.EnergyMJ(estimate.Macs, estimate.WeightBits, estimate.ActivationBits, device), estimate.EnergyMJ, 1e-9);
        Assert.True(estimate.LatencyMs > 0);
    }

    [Fact]
    public void The_lenet_like_model_costs_the_macs_its_doc_states()
    {
        var analysis = ModelAnalyzer.Analyze(TinyModels.LeNetLike());
        var estimate = CostModel.Estimate(analysis, DeviceCatalog.Default.Resolve("xiaomi-redmi-3s"));

        Assert.Equal(16_864, estimate.Macs);
        Assert.Equal(1_674 * 4 * 8, estimate.WeightBits);
        Assert.Equal(0, estimate.Layers.Single(l => l.OpType == "Flatten").LatencyMs);
    }

    [Fact]
    public void Host_measures_mnist_8_in_onnx_runtime()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));

        var estimate = LatencyEstimator.Estimate(ModelAnalyzer.Analyze(model), DeviceCatalog.Default.Resolve("host"), model.ToBytes());

        Assert.True(estimate.MeasuredLatencyMs > 0);
    }
}
