using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.TestUtilities;

namespace AdaDeep.Devices.Tests.Costs;

/// <summary>The cost model charges control-flow bodies per inference: the costlier If branch once, a Loop body per trip.</summary>
public class ControlFlowCostTests
{
    [Fact]
    public void OnlyTheCostlierIfBranchCostsTimeAndEnergy()
    {
        var analysis = ModelAnalyzer.Analyze(IfModels.ConvInEachBranch());
        var estimate = CostModel.Estimate(analysis, CostModelTests.Device);
        var thenConv = estimate.Layers.Single(l => l.NodeName == "then_conv");
        var elseConv = estimate.Layers.Single(l => l.NodeName == "else_conv");

        Assert.Equal(analysis.TotalMacs, estimate.Macs);
        Assert.Equal(6912, estimate.Macs);
        Assert.True(thenConv.LatencyMs > 0);
        Assert.Equal(0, elseConv.LatencyMs);
        Assert.Equal(0, elseConv.EnergyMJ);
        Assert.Equal(12 * 32, elseConv.WeightBits); // the untaken branch's weights still ship
    }

    [Theory]
    [InlineData("sony-sw3")]
    [InlineData("host")] // the kernel-table path
    public void ALoopBodyCostsItsTripCount(string deviceId)
    {
        var device = DeviceCatalog.Default.Resolve(deviceId);
        var once = CostModel.Estimate(ModelAnalyzer.Analyze(LoopModels.MatMulInBody(trips: 1)), device);
        var thrice = CostModel.Estimate(ModelAnalyzer.Analyze(LoopModels.MatMulInBody(trips: 3)), device);

        var matmulOnce = once.Layers.Single(l => l.NodeName == "body_matmul");
        var matmulThrice = thrice.Layers.Single(l => l.NodeName == "body_matmul");
        Assert.Equal(3 * matmulOnce.Macs, matmulThrice.Macs);
        Assert.Equal(3 * matmulOnce.LatencyMs, matmulThrice.LatencyMs, 9);
        Assert.Equal(3 * matmulOnce.EnergyMJ, matmulThrice.EnergyMJ, 12);
        Assert.Equal(matmulOnce.WeightBits, matmulThrice.WeightBits);
        Assert.True(thrice.LatencyMs > once.LatencyMs);
    }
}
