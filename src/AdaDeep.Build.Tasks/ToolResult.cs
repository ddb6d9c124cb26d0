using AdaDeep.Engine.Cache;

namespace AdaDeep.Build.Tasks;

/// <summary>The tool's --result-json document (docs/build.md, "Tool contract"). Unknown fields are ignored.</summary>
internal sealed record ToolResult
{
    public string? Model { get; init; }

    public string? OutputSha256 { get; init; }

    public double? SizeBytes { get; init; }

    public double? Macs { get; init; }

    public double? LatencyMs { get; init; }

    public double? LatencyBudgetMs { get; init; }

    public double? EnergyMJ { get; init; }

    public double? Accuracy { get; init; }

    public bool AccuracyIsAgreement { get; init; }

    /// <summary>Absent means met: a tool that does not say otherwise found a configuration within the budgets.</summary>
    public bool BudgetsMet { get; init; } = true;

    public string? Techniques { get; init; }

    /// <summary>Each warning as (code or null, message).</summary>
    public IReadOnlyList<(string? Code, string Message)> Warnings { get; init; } = new (string?, string)[0];

    /// <exception cref="FormatException">The text is not a JSON object.</exception>
    public static ToolResult Parse(string json)
    {
        var obj = CacheJson.ParseObject(json);
        var warnings = new List<(string?, string)>();
        if (obj.TryGetValue("warnings", out var w) && w is List<object?> list)
        {
            foreach (var item in list)
            {
                switch (item)
                {
                    case string text:
                        warnings.Add(SplitCode(text));
                        break;
                    case Dictionary<string, object?> entry:
                        warnings.Add((CacheJson.GetString(entry, "code"), CacheJson.GetString(entry, "message") ?? ""));
                        break;
                }
            }
        }

        return new ToolResult
        {
            Model = CacheJson.GetString(obj, "model"),
            OutputSha256 = CacheJson.GetString(obj, "outputSha256"),
            SizeBytes = CacheJson.GetNumber(obj, "sizeBytes"),
            Macs = CacheJson.GetNumber(obj, "macs"),
            LatencyMs = CacheJson.GetNumber(obj, "latencyMs"),
            LatencyBudgetMs = CacheJson.GetNumber(obj, "latencyBudgetMs"),
            EnergyMJ = CacheJson.GetNumber(obj, "energyMJ"),
            Accuracy = CacheJson.GetNumber(obj, "accuracy"),
            AccuracyIsAgreement = CacheJson.GetBool(obj, "accuracyIsAgreement") ?? false,
            BudgetsMet = CacheJson.GetBool(obj, "budgetsMet") ?? true,
            Techniques = CacheJson.GetString(obj, "techniques"),
            Warnings = warnings,
        };
    }

    /// <summary>"ADA4002: text" → ("ADA4002", "text"); anything else → (null, text).</summary>
    private static (string?, string) SplitCode(string text)
    {
        var colon = text.IndexOf(':');
        if (colon > 3 && colon < 12 && text.Substring(0, colon).All(char.IsLetterOrDigit) && text.Substring(0, colon).Any(char.IsDigit))
        {
            return (text.Substring(0, colon), text.Substring(colon + 1).Trim());
        }

        return (null, text);
    }
}
