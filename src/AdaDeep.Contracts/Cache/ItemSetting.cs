using System.Globalization;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// One numeric setting of a compression, spelled once: its AdaDeepModel metadata name, its `adadeep compress`
/// option, its field in the cache key and settings stamp, its valid range and the one parser both the task
/// (metadata) and the CLI (options) use. The invariant culture and the range checks live here and nowhere else.
/// </summary>
public sealed class ItemSetting
{
    private const string PositiveText = "a positive number written with '.' as the decimal point, e.g. 12.5";

    private readonly Func<double, bool> _valid;

    private ItemSetting(string metadata, string option, string keyField, Func<double, bool> valid, string expected)
    {
        Metadata = metadata;
        Option = option;
        KeyField = keyField;
        _valid = valid;
        Expected = expected;
    }

    public static readonly ItemSetting LatencyBudgetMs = new(ModelItemSettings.Metadata.LatencyBudgetMs, "--latency-budget-ms", "latency_ms", v => v > 0, PositiveText);

    public static readonly ItemSetting StorageBudgetMB = new(ModelItemSettings.Metadata.StorageBudgetMB, "--storage-budget-mb", "storage_mb", v => v > 0, PositiveText);

    public static readonly ItemSetting EnergyBudgetMJ = new(ModelItemSettings.Metadata.EnergyBudgetMJ, "--energy-budget-mj", "energy_mj", v => v > 0, PositiveText);

    public static readonly ItemSetting MinAccuracy = new(ModelItemSettings.Metadata.MinAccuracy, "--min-accuracy", "min_accuracy", v => v > 0 && v <= 1, "a number in (0, 1], e.g. 0.97");

    public static readonly ItemSetting MaxAccuracyDrop = new(ModelItemSettings.Metadata.MaxAccuracyDrop, "--max-accuracy-drop", "max_accuracy_drop", v => v >= 0 && v < 1, "a number in [0, 1), e.g. 0.01");

    public static readonly ItemSetting TimeBudgetSeconds = new(ModelItemSettings.Metadata.TimeBudgetSeconds, "--time-budget", "time_budget_s", v => v > 0, PositiveText);

    /// <summary>Every numeric setting, in the order the tool's arguments and the stamp list them.</summary>
    public static IReadOnlyList<ItemSetting> Numbers { get; } = new[] { LatencyBudgetMs, StorageBudgetMB, EnergyBudgetMJ, MinAccuracy, MaxAccuracyDrop, TimeBudgetSeconds };

    /// <summary>The AdaDeepModel metadata name, e.g. LatencyBudgetMs.</summary>
    public string Metadata { get; }

    /// <summary>The `adadeep compress` option, e.g. --latency-budget-ms.</summary>
    public string Option { get; }

    /// <summary>The field name in the cache key and the settings stamp, e.g. latency_ms.</summary>
    public string KeyField { get; }

    /// <summary>What a valid value looks like, for messages.</summary>
    public string Expected { get; }

    /// <summary>
    /// Parses <paramref name="text"/> (invariant culture, finite, in range). On failure <paramref name="problem"/>
    /// says what is wrong in one line, naming <paramref name="name"/> (the metadata or the option as the user wrote it).
    /// </summary>
    public bool TryParse(string text, string name, out double value, out string? problem)
    {
        if (double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && !double.IsNaN(value) && !double.IsInfinity(value) && _valid(value))
        {
            problem = null;
            return true;
        }

        problem = $"{name} '{text}' is not {Expected}";
        return false;
    }

    /// <summary>True when <paramref name="value"/> is in range (for values that did not come from text).</summary>
    public bool IsValid(double value) => !double.IsNaN(value) && !double.IsInfinity(value) && _valid(value);

    /// <summary>The value as an argument: invariant culture, round-trip.</summary>
    public static string FormatArgument(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public override string ToString() => Metadata;
}
