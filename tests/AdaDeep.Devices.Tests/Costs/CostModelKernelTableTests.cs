using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Devices.Tests.Costs;

/// <summary>The cost model with and without a kernel table: the table when present, the roofline when not.</summary>
public class CostModelKernelTableTests
{
    /// <summary>The roofline tests' hand-computed device (1 GMAC/s, 1 GB/s, 0.01 ms per layer), without a table.</summary>
    private static readonly DeviceProfile Roofline = CostModelTests.Device;

    /// <summary>Conv 2→4 3×3 on 6×6 (4·2·9·16 = 1,152 MACs, 18·16 = 288 im2col elements), bias Add, Relu, then a MaxPool.</summary>
    private static ModelAnalysis ConvReluPool()
    {
        var b = new GraphBuilder("m").Input("x", 1, 2, 6, 6).Output("y", 1, 4, 2, 2);
        var y = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 4, 2, 3, 3 }, new float[72]) }, configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }));
        y = b.Node("Add", new[] { y, b.Weight("bias", new long[] { 4, 1, 1 }, new float[4]) });
        y = b.Node("Relu", new[] { y });
        b.Node("MaxPool", new[] { y }, output: "y", configure: n => n.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }));
        return ModelAnalyzer.Analyze(b.ToModel());
    }

    [Fact]
    public void Without_a_table_the_latency_is_the_roofline_sum()
    {
        var analysis = ConvReluPool();

        var estimate = CostModel.Estimate(analysis, Roofline);

        Assert.Equal(analysis.Layers.Sum(l => CostModel.LatencyMs(l, Roofline)), estimate.LatencyMs, 12);
    }

    [Fact]
    public void With_a_table_fused_layers_cost_nothing_and_each_kernel_costs_its_linear_model_plus_one_inference()
    {
        var table = new OperatorCostTable(PerInferenceUs: 5, new Dictionary<string, OperatorCost>
        {
            ["Conv"] = new(FixedUs: 2, UsPerMMac: 1000, UsPerMLowered: 1000),
            ["MaxPool"] = new(FixedUs: 1, UsPerMBActivations: 100),
        });
        var device = Roofline with { KernelCosts = table };

        var estimate = CostModel.Estimate(ConvReluPool(), device);

        var conv = 2 + 1000 * 1152 / 1e6 + 1000 * 288 / 1e6;
        var pool = 1 + 100 * 4.0 * (64 + 16) / 1e6;
        Assert.Equal(new[] { conv / 1000, 0, 0, pool / 1000 }, estimate.Layers.Select(l => l.LatencyMs).ToArray(), new ToleranceComparer(1e-12));
        Assert.Equal((5 + conv + pool) / 1000, estimate.LatencyMs, 12);
    }

    [Fact]
    public void Kinds_missing_from_the_table_fall_back_to_the_roofline()
    {
        var analysis = ConvReluPool();
        var device = Roofline with { KernelCosts = new OperatorCostTable(0, new Dictionary<string, OperatorCost> { ["Conv"] = new(FixedUs: 2) }) };

        var estimate = CostModel.Estimate(analysis, device);

        Assert.Equal(CostModel.LatencyMs(analysis.Layers[3], Roofline), estimate.Layers[3].LatencyMs, 12);
        Assert.Equal(0.002, estimate.Layers[0].LatencyMs, 12);
    }

    [Fact]
    public void Storage_compute_and_energy_do_not_depend_on_the_table()
    {
        var analysis = ConvReluPool();
        var with = CostModel.Estimate(analysis, DeviceCatalog.Default.Resolve("host"));
        var without = CostModel.Estimate(analysis, DeviceCatalog.Default.Resolve("host") with { KernelCosts = null });

        Assert.Equal(without.Macs, with.Macs);
        Assert.Equal(without.WeightBits, with.WeightBits);
        Assert.Equal(without.ActivationBits, with.ActivationBits);
        Assert.Equal(without.EnergyMJ, with.EnergyMJ);
        Assert.NotEqual(without.LatencyMs, with.LatencyMs);
    }

    [Fact]
    public void Only_the_host_profile_of_the_catalog_carries_a_table()
    {
        Assert.NotNull(DeviceCatalog.Default.Resolve("host").KernelCosts);
        Assert.All(DeviceCatalog.Default.All.Where(p => p.Id != "host"), p => Assert.Null(p.KernelCosts));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
