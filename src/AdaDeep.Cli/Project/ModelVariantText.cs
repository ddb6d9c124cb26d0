using System.Globalization;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Project;

/// <summary>How a model variant's settings read in tables and reports (invariant culture).</summary>
public static class ModelVariantText
{
    public static string Device(ModelVariant m) => m.Settings.DeviceIsProfile ? $"{m.Device} (profile)" : m.Device;

    public static string Budget(double? value, string unit) => value is double v ? $"≤ {Number(v)} {unit}" : "-";

    public static string Accuracy(ModelItemSettings s) =>
        s.MinAccuracy is double min ? $"≥ {Number(min)}" : s.MaxAccuracyDrop is double drop ? $"drop ≤ {Number(drop)}" : "-";

    public static string Search(ModelItemSettings s)
    {
        var parts = new List<string> { s.Optimizer ?? "dqn" };
        if (s.Seed is int seed)
        {
            parts.Add($"seed {seed.ToString(CultureInfo.InvariantCulture)}");
        }

        if (s.TimeBudgetSeconds is double t)
        {
            parts.Add($"{Number(t)} s");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The Dataset metadata as written, with "; test: …" when TestDataset is set.</summary>
    public static string Dataset(ModelVariant m)
    {
        var dataset = m.Item.GetMetadata(ModelItemSettings.Metadata.Dataset) is { Length: > 0 } d ? d.Trim() : "-";
        return m.Item.GetMetadata(ModelItemSettings.Metadata.TestDataset) is { Length: > 0 } t && t.Trim().Length > 0
            ? $"{dataset}; test: {t.Trim()}"
            : dataset;
    }

    public static string Status(ModelVariant m) => !m.IsValid ? "invalid" : m.Cache?.Status switch
    {
        CacheStatus.Cached => "yes",
        CacheStatus.Damaged => "damaged",
        CacheStatus.Incomplete => "incomplete",
        _ => "no",
    };

    public static string ShortKey(string? key) => key is null ? "-" : key[..12];

    public static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
