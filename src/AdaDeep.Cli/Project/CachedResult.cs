using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Project;

/// <summary>
/// The figures of a cached compression, read from the entry's result.json (the engine's --result-json document), or
/// from report.json when an entry has no result.json (entries the build task published keep the result there).
/// Missing fields stay null: the report shows "-" rather than guessing.
/// </summary>
public sealed record CachedResult
{
    public double? SizeBytes { get; init; }

    public double? OriginalSizeBytes { get; init; }

    public double? Macs { get; init; }

    public double? OriginalMacs { get; init; }

    public double? LatencyMs { get; init; }

    public double? LatencyBudgetMs { get; init; }

    public double? StorageMB { get; init; }

    public double? StorageBudgetMB { get; init; }

    public double? EnergyMJ { get; init; }

    public double? EnergyBudgetMJ { get; init; }

    public double? Accuracy { get; init; }

    public double? OriginalAccuracy { get; init; }

    public double? MinAccuracy { get; init; }

    public bool AccuracyIsAgreement { get; init; }

    public bool? BudgetsMet { get; init; }

    public string? Techniques { get; init; }

    /// <summary>The result of a cached entry, or null when it has none that parses.</summary>
    public static CachedResult? Read(CacheProbeResult entry)
    {
        foreach (var name in new[] { CacheStore.ResultJsonFileName, CacheStore.ReportJsonFileName })
        {
            if (entry.FilePath(name) is not { } path)
            {
                continue;
            }

            try
            {
                var result = Parse(File.ReadAllText(path));
                if (result is not null)
                {
                    return result;
                }
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                // Try the next file; a report without figures shows "-".
            }
        }

        return null;
    }

    /// <summary>Parses a result document; null when it is JSON but not a result (e.g. a search report).</summary>
    public static CachedResult? Parse(string json)
    {
        var obj = CacheJson.ParseObject(json);
        if (!obj.ContainsKey("sizeBytes") && !obj.ContainsKey("outputSha256"))
        {
            return null;
        }

        return new CachedResult
        {
            SizeBytes = CacheJson.GetNumber(obj, "sizeBytes"),
            OriginalSizeBytes = CacheJson.GetNumber(obj, "originalSizeBytes"),
            Macs = CacheJson.GetNumber(obj, "macs"),
            OriginalMacs = CacheJson.GetNumber(obj, "originalMacs"),
            LatencyMs = CacheJson.GetNumber(obj, "latencyMs"),
            LatencyBudgetMs = CacheJson.GetNumber(obj, "latencyBudgetMs"),
            StorageMB = CacheJson.GetNumber(obj, "storageMB"),
            StorageBudgetMB = CacheJson.GetNumber(obj, "storageBudgetMB"),
            EnergyMJ = CacheJson.GetNumber(obj, "energyMJ"),
            EnergyBudgetMJ = CacheJson.GetNumber(obj, "energyBudgetMJ"),
            Accuracy = CacheJson.GetNumber(obj, "accuracy"),
            OriginalAccuracy = CacheJson.GetNumber(obj, "originalAccuracy"),
            MinAccuracy = CacheJson.GetNumber(obj, "minAccuracy"),
            AccuracyIsAgreement = CacheJson.GetBool(obj, "accuracyIsAgreement") ?? false,
            BudgetsMet = CacheJson.GetBool(obj, "budgetsMet"),
            Techniques = CacheJson.GetString(obj, "techniques"),
        };
    }
}
