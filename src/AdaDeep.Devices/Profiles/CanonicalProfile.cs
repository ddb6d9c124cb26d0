using System.Globalization;
using System.Text;
using AdaDeep.Devices.Costs.Kernels;

namespace AdaDeep.Devices.Profiles;

/// <summary>
/// A stable text of every field of a profile, in a fixed order, independent of culture and of how the profile was
/// written (YAML layout, comments, key order). Cache keys hash it, so changing any figure of a profile changes the key.
/// Adding a field to <see cref="DeviceProfile"/> must add a line here (a test enumerates the properties).
/// </summary>
public static class CanonicalProfile
{
    /// <summary>Bumped when the text's format changes, which invalidates every cached entry keyed on it.</summary>
    public const string FormatVersion = "adadeep-device-profile/1";

    public static string ToCanonicalText(DeviceProfile p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var text = new StringBuilder();
        text.Append(FormatVersion).Append('\n');
        Line(text, "id", Quote(p.Id));
        Line(text, "name", Quote(p.Name));
        Line(text, "type", Quote(p.Type));
        Line(text, "processor", Quote(p.Processor));
        Line(text, "dramMB", Number(p.DramMB));
        Line(text, "l2CacheMB", Number(p.L2CacheMB));
        Line(text, "batteryMAh", p.BatteryMAh is { } battery ? Number(battery) : "null");
        Line(text, "peakMacsPerSecond", Number(p.PeakMacsPerSecond));
        Line(text, "memoryBandwidthBytesPerSecond", Number(p.MemoryBandwidthBytesPerSecond));
        Line(text, "perLayerOverheadMs", Number(p.PerLayerOverheadMs));
        foreach (var (op, efficiency) in p.OperatorEfficiency.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Line(text, "operatorEfficiency." + Quote(op), Number(efficiency));
        }

        if (p.KernelCosts is { } table)
        {
            Line(text, "kernelCosts.perInferenceUs", Number(table.PerInferenceUs));
            foreach (var (kind, cost) in table.Kernels.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                for (var i = 0; i < OperatorCost.FieldNames.Count; i++)
                {
                    Line(text, $"kernelCosts.{Quote(kind)}.{OperatorCost.FieldNames[i]}", Number(cost.Coefficients[i]));
                }
            }
        }

        Line(text, "energyPerMacPJ", Number(p.EnergyPerMacPJ));
        Line(text, "energyPerCacheBytePJ", p.EnergyPerCacheBytePJ is { } cacheByte ? Number(cacheByte) : "null");
        Line(text, "energyPerDramBytePJ", p.EnergyPerDramBytePJ is { } dramByte ? Number(dramByte) : "null");
        Line(text, "measuresLatency", p.MeasuresLatency ? "true" : "false");
        Line(text, "source", Quote(p.Source));
        return text.ToString();
    }

    private static void Line(StringBuilder text, string key, string value) => text.Append(key).Append('=').Append(value).Append('\n');

    /// <summary>Shortest text that round-trips the double exactly ("R"), invariant culture.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Quoted and escaped so that no value can fake a line break or another field.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case < ' ' or '\u007f': text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }
}
