using YamlDotNet.Core;

namespace AdaDeep.Devices.Profiles.Yaml;

/// <summary>
/// One device profile as written in YAML: plain values, nothing validated yet, with where each field was found so
/// that validation errors point at the line. Units are the ones users write (GMAC/s, GB/s), not the profile's SI units.
/// </summary>
internal sealed class ProfileDto
{
    public Mark Start { get; set; }

    public Dictionary<string, Mark> FieldMarks { get; } = new(StringComparer.Ordinal);

    public HashSet<string> PresentFields { get; } = new(StringComparer.Ordinal);

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Processor { get; set; }

    public double? DramMB { get; set; }

    public double? L2CacheMB { get; set; }

    public double? BatteryMAh { get; set; }

    public double? PeakGmacs { get; set; }

    public double? MemoryBandwidthGBps { get; set; }

    public double? PerLayerOverheadMs { get; set; }

    public Dictionary<string, double>? OperatorEfficiency { get; set; }

    public AdaDeep.Devices.Costs.Kernels.OperatorCostTable? KernelCosts { get; set; }

    public double? EnergyPerMacPJ { get; set; }

    public double? EnergyPerCacheBytePJ { get; set; }

    public double? EnergyPerDramBytePJ { get; set; }

    public bool? MeasuresLatency { get; set; }

    public string? Source { get; set; }

    /// <summary>Where a field (or a map entry such as <c>operatorEfficiency.Conv</c>) was written; else its nearest parent, else the profile.</summary>
    public Mark MarkOf(string field)
    {
        for (var name = field; ; name = name[..name.LastIndexOf('.')])
        {
            if (FieldMarks.TryGetValue(name, out var mark))
            {
                return mark;
            }

            if (!name.Contains('.'))
            {
                return Start;
            }
        }
    }
}
