using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Devices.Tests.Costs;

/// <summary>The formulas checked against values computed by hand on layers built by hand.</summary>
public class CostModelTests
{
    private const double Tolerance = 1e-12;

    /// <summary>1 GMAC/s, 1 GB/s, 0.01 ms per layer: round numbers for hand computation.</summary>
    internal static readonly DeviceProfile Device = new()
    {
        Id = "hand",
        Name = "Hand-computed device",
        DramMB = 1024,
        L2CacheMB = 1,
        BatteryMAh = 1000,
        PeakMacsPerSecond = 1e9,
        MemoryBandwidthBytesPerSecond = 1e9,
        PerLayerOverheadMs = 0.01,
    };

    /// <summary>Conv 16→32, 3×3, pad 1, on 32×32: 32·16·9·1024 = 4,718,592 MACs, 4,608 + 32 weights, 32,768 outputs.</summary>
    private static readonly LayerInfo Conv = new("conv", "Conv", LayerKind.Conv,
        new long[]?[] { new long[] { 1, 16, 32, 32 }, new long[] { 32, 16, 3, 3 }, new long[] { 32 } },
        new long[]?[] { new long[] { 1, 32, 32, 32 } },
        Parameters: 4640, ParameterBytes: 4640 * 4, Activations: 32768, Macs: 4_718_592, Position: 0);

    /// <summary>Gemm 100→50 with bias: 5,000 MACs, 5,050 weights (20,200 bytes), 50 outputs.</summary>
    private static readonly LayerInfo Fc = new("fc", "Gemm", LayerKind.FullyConnected,
        new long[]?[] { new long[] { 1, 100 }, new long[] { 50, 100 }, new long[] { 50 } },
        new long[]?[] { new long[] { 1, 50 } },
        Parameters: 5050, ParameterBytes: 20200, Activations: 50, Macs: 5000, Position: 1);

    private static readonly LayerInfo Relu = new("relu", "Relu", LayerKind.Activation,
        new long[]?[] { new long[] { 1, 50 } }, new long[]?[] { new long[] { 1, 50 } },
        Parameters: 0, ParameterBytes: 0, Activations: 50, Macs: 0, Position: 2);

    /// <summary>Reshape with its int64[2] shape constant: 2 "parameters", 16 bytes that ship.</summary>
    private static readonly LayerInfo Reshape = new("reshape", "Reshape", LayerKind.Shape,
        new long[]?[] { new long[] { 1, 50 }, new long[] { 2 } }, new long[]?[] { new long[] { 5, 10 } },
        Parameters: 2, ParameterBytes: 16, Activations: 50, Macs: 0, Position: 3);

    [Fact]
    public void Bits_count_the_bytes_that_ship_and_32_bit_activations()
    {
        var cost = CostModel.EstimateLayer(Fc, Device);

        Assert.Equal(5000, cost.Macs);
        Assert.Equal(20200 * 8, cost.WeightBits);
        Assert.Equal(50 * 32, cost.ActivationBits);
    }

    [Fact]
    public void Int8_weights_count_8_bits_each()
    {
        var quantised = Fc with { ParameterBytes = 5000 + 50 * 4 }; // int8 weight matrix, fp32 bias
        Assert.Equal((5000 + 200) * 8, CostModel.EstimateLayer(quantised, Device).WeightBits);
    }

    [Fact]
    public void Energy_follows_equation_5_in_32_bit_words()
    {
        // E = 52.8 pJ · (5,000 MACs + 6 · 161,600/32 words + 200 · 1,600/32 words) = 52.8 · 45,300 pJ = 2,391,840 pJ.
        Assert.Equal(2_391_840e-9, CostModel.EstimateLayer(Fc, Device).EnergyMJ, Tolerance);
        Assert.Equal(2_391_840e-9, CostModel.EnergyMJ(5000, 161_600, 1_600, 52.8), Tolerance);
    }

    [Fact]
    public void Energy_per_word_reproduces_the_scale_of_the_papers_lenet()
    {
        // Paper 5.3.3: Sp = 25.2 MB, C = 28,324,864, E = 4.3 mJ in total. Weights and MACs alone must stay below that
        // (≈ 3.6 mJ per 32-bit word; per bit the weight term alone would be ≈ 67 mJ).
        var weightBits = (long)(25.2 * 1024 * 1024 * 8);
        var energy = CostModel.EnergyMJ(28_324_864, weightBits, 0, 52.8);
        Assert.InRange(energy, 3.5, 4.3);
    }

    [Fact]
    public void A_large_conv_is_compute_bound()
    {
        // Compute: 4,718,592 MACs / 1e9 = 4.718592 ms. Memory: (18,560 + (16,384 + 32,768)·4) B / 1e9 = 0.215168 ms.
        Assert.Equal(18_560 + (16_384 + 32_768) * 4, CostModel.BytesMoved(Conv));
        Assert.Equal(4.718592 + 0.01, CostModel.LatencyMs(Conv, Device), Tolerance);
    }

    [Fact]
    public void Operator_efficiency_derates_the_peak()
    {
        var derated = Device with { OperatorEfficiency = new Dictionary<string, double> { ["Conv"] = 0.5 } };

        Assert.Equal(2 * 4.718592 + 0.01, CostModel.LatencyMs(Conv, derated), Tolerance);
        Assert.Equal(CostModel.LatencyMs(Fc, Device), CostModel.LatencyMs(Fc, derated)); // other operators untouched
    }

    [Fact]
    public void A_fully_connected_layer_at_batch_1_is_memory_bound()
    {
        // Memory: 20,200 B weights + (100 inputs + 50 outputs)·4 B = 20,800 B → 0.0208 ms > compute 0.005 ms.
        Assert.Equal(20_800, CostModel.BytesMoved(Fc));
        Assert.Equal(0.0208 + 0.01, CostModel.LatencyMs(Fc, Device), Tolerance);
    }

    [Fact]
    public void Layers_without_macs_still_pay_their_memory_traffic()
    {
        var cost = CostModel.EstimateLayer(Relu, Device);

        Assert.Equal(0.0004 + 0.01, cost.LatencyMs, Tolerance); // (50 + 50)·4 B at 1 GB/s
        Assert.Equal(52.8 * 200 * 50 * 1e-9, cost.EnergyMJ, Tolerance);
    }

    [Fact]
    public void Metadata_layers_cost_no_time_and_no_activations_but_their_constants_ship()
    {
        var cost = CostModel.EstimateLayer(Reshape, Device);

        Assert.Equal(0, cost.LatencyMs);
        Assert.Equal(0, cost.ActivationBits);
        Assert.Equal(128, cost.WeightBits);
        Assert.Equal(52.8 * 6 * 4 * 1e-9, cost.EnergyMJ, Tolerance);
    }

    [Fact]
    public void Unknown_shapes_count_no_traffic_beyond_weights_and_outputs()
    {
        var unknown = Relu with { InputShapes = new long[]?[] { null } };
        Assert.Equal(200, CostModel.BytesMoved(unknown));
    }

    [Fact]
    public void Symbolic_dimensions_count_as_one()
    {
        var symbolic = Relu with { InputShapes = new long[]?[] { new long[] { -1, 50 } } };
        Assert.Equal(CostModel.BytesMoved(Relu), CostModel.BytesMoved(symbolic));
    }

    [Fact]
    public void Totals_are_the_sums_of_the_layers()
    {
        var analysis = new ModelAnalysis(new[] { Conv, Fc, Relu, Reshape }, new Dictionary<string, long[]>(), FileBytes: 40_000);

        var estimate = CostModel.Estimate(analysis, Device);

        Assert.Equal(4, estimate.Layers.Count);
        Assert.Equal(new[] { "conv", "fc", "relu", "reshape" }, estimate.Layers.Select(l => l.NodeName));
        Assert.Equal(4_718_592 + 5000, estimate.Macs);
        Assert.Equal((18_560 + 20_200 + 16) * 8, estimate.WeightBits);
        Assert.Equal((32_768 + 50 + 50) * 32, estimate.ActivationBits);
        Assert.Equal(estimate.WeightBits + estimate.ActivationBits, estimate.StorageBits);
        Assert.Equal(40_000, estimate.FileBytes);
        Assert.Equal((4.718592 + 0.01) + (0.0208 + 0.01) + (0.0004 + 0.01), estimate.LatencyMs, 1e-9);
        var energyPJ = 52.8 * (4_718_592 + 5000 + 6.0 * estimate.WeightBits / 32 + 200.0 * estimate.ActivationBits / 32);
        Assert.Equal(energyPJ * 1e-9, estimate.EnergyMJ, 1e-9);
        Assert.Null(estimate.MeasuredLatencyMs);
    }

    [Fact]
    public void A_slower_older_device_gives_a_longer_latency_and_more_energy()
    {
        // Each catalog device has its own energy figures (40 nm watch, 10 nm phone: docs/devices.md "Energy").
        var analysis = new ModelAnalysis(new[] { Conv, Fc, Relu }, new Dictionary<string, long[]>(), 0);
        var watch = CostModel.Estimate(analysis, DeviceCatalog.Default.Resolve("sony-sw3"));
        var phone = CostModel.Estimate(analysis, DeviceCatalog.Default.Resolve("xiaomi-mi6"));

        Assert.True(watch.LatencyMs > phone.LatencyMs);
        Assert.True(watch.EnergyMJ > phone.EnergyMJ);
    }

    [Fact]
    public void A_dequantize_of_a_weight_reads_int8_and_writes_fp32_every_inference()
    {
        // Output 50×100 = 5,000 elements: 5,000 · (1 + 4) B at 1 GB/s = 0.025 ms, plus the overhead; no activations.
        var dequantize = new LayerInfo("w_dq", "DequantizeLinear", LayerKind.Other,
            new long[]?[] { new long[] { 50, 100 }, new long[] { 1 }, new long[] { 1 } }, new long[]?[] { new long[] { 50, 100 } },
            Parameters: 0, ParameterBytes: 0, Activations: 0, Macs: 0, Position: 0);

        var cost = CostModel.EstimateLayer(dequantize, Device);

        Assert.True(CostModel.IsWeightDecoding(dequantize));
        Assert.Equal(0.025 + 0.01, cost.LatencyMs, Tolerance);
        Assert.Equal(0, cost.ActivationBits);
    }

    [Fact]
    public void Other_weight_decoding_is_folded_by_the_runtime_and_costs_no_time()
    {
        var scatter = new LayerInfo("w_sparse", "ScatterND", LayerKind.Other,
            new long[]?[] { new long[] { 50, 100 }, new long[] { 400, 2 }, new long[] { 400 } }, new long[]?[] { new long[] { 50, 100 } },
            Parameters: 0, ParameterBytes: 0, Activations: 0, Macs: 0, Position: 0);

        Assert.Equal(0, CostModel.EstimateLayer(scatter, Device).LatencyMs);
    }

    [Fact]
    public void A_layer_whose_shapes_are_unknown_is_not_mistaken_for_weight_decoding()
    {
        var unknown = Relu with { OutputShapes = new long[]?[] { null }, Activations = 0 };

        Assert.False(CostModel.IsWeightDecoding(unknown));
        Assert.Equal(0.0002 + 0.01, CostModel.EstimateLayer(unknown, Device).LatencyMs, Tolerance); // its 50 known inputs
    }
}
