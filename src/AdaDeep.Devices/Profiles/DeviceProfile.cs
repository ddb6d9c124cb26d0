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

    /// <summary>Energy per MAC in picojoules (paper Eq. 5's ε1: 52.8 pJ).</summary>
    public double EnergyPerMacPJ { get; init; } = PaperEnergyPerMacPJ;

    /// <summary>
    /// Energy of reading one byte of weights from the on-chip cache, in picojoules (Eq. 5's weight term); null: the
    /// paper's ratio, 6·ε1 per 32-bit word, so a profile that sets only <see cref="EnergyPerMacPJ"/> scales it too.
    /// </summary>
    public double? EnergyPerCacheBytePJ { get; init; }

    /// <summary>
    /// Energy of moving one byte of activations to or from DRAM, in picojoules (Eq. 5's activation term); null: the
    /// paper's ratio, 200·ε1 per 32-bit word.
    /// </summary>
    public double? EnergyPerDramBytePJ { get; init; }

    /// <summary>The paper's ε1 (section 3), the default for profiles that state no energy figures.</summary>
    public const double PaperEnergyPerMacPJ = 52.8;

    /// <summary><see cref="EnergyPerCacheBytePJ"/>, or the paper's 6·ε1 per 4-byte word when the profile gives none.</summary>
    public double CacheBytePJ => EnergyPerCacheBytePJ ?? EnergyPerMacPJ * CacheAccessPerMac / BytesPerWord;

    /// <summary><see cref="EnergyPerDramBytePJ"/>, or the paper's 200·ε1 per 4-byte word when the profile gives none.</summary>
    public double DramBytePJ => EnergyPerDramBytePJ ?? EnergyPerMacPJ * DramAccessPerMac / BytesPerWord;

    /// <summary>Relative energy of a cache access and of a DRAM access, each against one MAC (paper Eq. 5, from [48]).</summary>
    public const double CacheAccessPerMac = 6;

    public const double DramAccessPerMac = 200;

    /// <summary>The paper's ratios are per access of one fp32 word.</summary>
    private const double BytesPerWord = 4;

    /// <summary>True for the `host` profile: latency is measured with ONNX Runtime rather than only estimated.</summary>
    public bool MeasuresLatency { get; init; }

    /// <summary>Where the figures come from (paper table or public sources), for reports.</summary>
    public string Source { get; init; } = "";
}
