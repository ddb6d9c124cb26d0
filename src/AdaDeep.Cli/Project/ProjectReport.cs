using System.Globalization;
using System.Text;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Cli.Project;

/// <summary>
/// A Markdown table over the project's model variants (items × devices) from what the cache holds: size, MACs,
/// estimated latency and energy against the budgets, accuracy against its floor, and whether each is cached.
/// Meant for a CI job summary (e.g. appended to $GITHUB_STEP_SUMMARY).
/// </summary>
public static class ProjectReport
{
    public static string ToMarkdown(ProjectPlan plan)
    {
        var text = new StringBuilder();
        text.Append("## AdaDeep models: ").Append(Path.GetFileName(plan.ProjectPath)).Append("\n\n");
        if (plan.Models.Count == 0)
        {
            text.Append("The project declares no AdaDeepModel items.\n");
            return text.ToString();
        }

        text.Append("| Model | Device | Cached | Techniques | Size | MACs | Latency (ms) | Energy (mJ) | Accuracy | Budgets | Status |\n");
        text.Append("|---|---|---|---|---:|---:|---:|---:|---:|---|---|\n");
        foreach (var m in plan.Models)
        {
            var result = m.IsCached ? CachedResultReader.Read(m.Cache!) : null;
            var cells = new[]
            {
                m.Item.Include,
                ModelVariantText.Device(m),
                ModelVariantText.Status(m),
                result?.Techniques ?? "-",
                result is null ? "-" : Bytes(result.SizeBytes, result.OriginalSizeBytes),
                result is null ? "-" : Macs(result.Macs, result.OriginalMacs),
                result is null ? "-" : Against(result.LatencyMs, result.LatencyBudgetMs ?? m.Settings.LatencyBudgetMs, "0.###"),
                result is null ? "-" : Against(result.EnergyMJ, result.EnergyBudgetMJ ?? m.Settings.EnergyBudgetMJ, "0.####"),
                result is null ? "-" : Accuracy(result),
                Budgets(m),
                Status(m, result),
            };
            text.Append("| ").Append(string.Join(" | ", cells.Select(Escape))).Append(" |\n");
        }

        var valid = plan.Models.Count(m => m.IsValid);
        var cached = plan.Models.Count(m => m.IsCached);
        text.Append('\n').Append(cached.ToString(CultureInfo.InvariantCulture)).Append(" of ")
            .Append(plan.Models.Count.ToString(CultureInfo.InvariantCulture)).Append(" model variants cached");
        if (valid < plan.Models.Count)
        {
            text.Append(", ").Append((plan.Models.Count - valid).ToString(CultureInfo.InvariantCulture)).Append(" invalid");
        }

        text.Append(". Latency and energy are the cost model's estimates for the device (measured on `host`).\n");
        return text.ToString();
    }

    private static string Status(ModelVariant m, CompressResult? result) =>
        !m.IsValid ? "invalid" : !m.IsCached ? "not compressed yet" : result is null ? "-" : result.BudgetsMet ? "met" : "**missed**";

    private static string Budgets(ModelVariant m)
    {
        var s = m.Settings;
        var parts = new List<string>();
        void Add(string name, double? value, string unit)
        {
            if (value is double v)
            {
                parts.Add($"{name} ≤ {ModelVariantText.Number(v)}{unit}");
            }
        }

        Add("latency", s.LatencyBudgetMs, " ms");
        Add("storage", s.StorageBudgetMB, " MB");
        Add("energy", s.EnergyBudgetMJ, " mJ");
        if (s.MinAccuracy is double min)
        {
            parts.Add($"accuracy ≥ {ModelVariantText.Number(min)}");
        }
        else if (s.MaxAccuracyDrop is double drop)
        {
            parts.Add($"accuracy drop ≤ {ModelVariantText.Number(drop)}");
        }

        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }

    private static string Against(double? value, double? budget, string format)
    {
        if (value is not double v)
        {
            return "-";
        }

        var text = v.ToString(format, CultureInfo.InvariantCulture);
        return budget is double b
            ? $"{text} {(v <= b ? "≤" : ">")} {b.ToString(format, CultureInfo.InvariantCulture)} {(v <= b ? "✅" : "❌")}"
            : text;
    }

    private static string Accuracy(CompressResult r)
    {
        if (AccuracyMeasures.ReplacesPercentage(r.AccuracyMeasure) && r.AccuracyHeadline is { } headline)
        {
            return headline; // a percentage of top-1 agreement would mean nothing for this output
        }

        var a = r.Accuracy;
        var text = Percent(a) + (r.AccuracyIsAgreement ? " agreement" : "");
        return r.MinAccuracy is double min ? $"{text} {(a >= min ? "≥" : "<")} {Percent(min)} {(a >= min ? "✅" : "❌")}" : text;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static string Bytes(double? size, double? original)
    {
        if (size is not double s)
        {
            return "-";
        }

        var text = s >= 1024 * 1024
            ? (s / 1024 / 1024).ToString("0.##", CultureInfo.InvariantCulture) + " MB"
            : (s / 1024).ToString("0.#", CultureInfo.InvariantCulture) + " KB";
        return text + Change(s, original);
    }

    private static string Macs(double? macs, double? original)
    {
        if (macs is not double m)
        {
            return "-";
        }

        var text = m >= 1e9 ? (m / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " G"
            : m >= 1e6 ? (m / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " M"
            : m >= 1e3 ? (m / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + " k"
            : m.ToString("0", CultureInfo.InvariantCulture);
        return text + Change(m, original);
    }

    /// <summary>" (−45 %)" against the original; empty when the original is unknown or zero.</summary>
    private static string Change(double value, double? original) =>
        original is double o && o > 0
            ? $" ({(value <= o ? "−" : "+")}{Math.Abs((value - o) / o * 100).ToString("0", CultureInfo.InvariantCulture)} %)"
            : "";

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}
