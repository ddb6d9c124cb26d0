using AdaDeep.Devices.Costs.Kernels;

namespace AdaDeep.Devices.Profiles;

/// <summary>
/// A target device: the paper's Table 3 facts (processor, DRAM, L2 cache, battery) plus what the roofline latency
/// model needs (peak compute, memory bandwidth, per-layer overhead, per-operator efficiency). Immutable.
/// </summary>
public sealed record DeviceProfile
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Type { get; init; } = "phone";

    public string Processor { get; init; } = "";

    public double DramMB { get; init; }

    public double L2CacheMB { get; init; }

    /// <summary>Battery capacity in mAh; null for devices on mains power.</summary>
    public double? BatteryMAh { get; init; }

    /// <summary>Sustained multiply-accumulates per second the CPU reaches on dense float kernels.</summary>
    public double PeakMacsPerSecond { get; init; }

    /// <summary>Sustained DRAM bandwidth in bytes per second.</summary>
    public double MemoryBandwidthBytesPerSecond { get; init; }

    /// <summary>Fixed cost per executed layer (dispatch, threading), in milliseconds.</summary>
    public double PerLayerOverheadMs { get; init; }

    /// <summary>Fraction of peak each operator type reaches (e.g. depthwise Conv is memory bound); default 1.</summary>
    public IReadOnlyDictionary<string, double> OperatorEfficiency { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Measured per-kernel costs (an nn-Meter style kernel table) that replace the roofline for the kernel kinds they
    /// cover; null for profiles that have only the roofline figures (every catalog device except <c>host</c>).
    /// </summary>
    public OperatorCostTable? KernelCosts { get; init; }

    /// <summary>Energy per MAC in picojoules (paper: 52.8 pJ).</summary>
    public double EnergyPerMacPJ { get; init; } = 52.8;

    /// <summary>True for the `host` profile: latency is measured with ONNX Runtime rather than only estimated.</summary>
    public bool MeasuresLatency { get; init; }

    /// <summary>Where the figures come from (paper table or public sources), for reports.</summary>
    public string Source { get; init; } = "";
}
