using System.Globalization;
using System.Text;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Build.Tasks;

/// <summary>The one line per model the build prints: size, MACs, latency against its budget, accuracy, cache.</summary>
internal static class CompressionSummary
{
    public static string Format(ModelPlan plan, CompressResult result, long originalBytes, string outcome, TimeSpan? elapsed)
    {
        var text = new StringBuilder();
        text.Append("AdaDeep: ").Append(Path.GetFileName(plan.Settings.ModelPath)).Append(" → ").Append(plan.DeviceFolder).Append(": ");
        text.Append(Bytes(originalBytes)).Append(" → ").Append(result.SizeBytes > 0 ? Bytes(result.SizeBytes) : "?");
        if (result.Macs > 0)
        {
            text.Append(", ").Append(Count(result.Macs)).Append(" MACs");
        }

        if (result.LatencyMs > 0)
        {
            var latency = result.LatencyMs;
            text.Append(", latency ").Append(Number(latency)).Append(" ms");
            var budget = result.LatencyBudgetMs ?? plan.Settings.LatencyBudgetMs;
            text.Append(budget is double b ? $" (budget {Number(b)} ms)" : " (no budget)");
        }

        if (result.EnergyMJ > 0)
        {
            text.Append(", energy ").Append(Number(result.EnergyMJ)).Append(" mJ");
        }

        // Agreement on inputs where the original always predicts the same says nothing (ADA3604): no number then; a
        // dense output is headlined by cosine similarity. The engine's headline says which (null in older results).
        if (AccuracyMeasures.ReplacesPercentage(result.AccuracyMeasure) && result.AccuracyHeadline is { } headline)
        {
            text.Append(", ").Append(headline);
        }
        else if (result.AccuracyIsAgreement && !result.ValidationMeaningful)
        {
            text.Append(", accuracy not measured (no real data)");
        }
        else
        {
            text.Append(result.AccuracyIsAgreement ? ", agreement " : ", accuracy ").Append(result.Accuracy.ToString("0.0000", CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(result.Techniques))
        {
            text.Append(", ").Append(result.Techniques);
        }

        if (!result.BudgetsMet)
        {
            text.Append(", budgets NOT met");
        }

        text.Append(" [").Append(outcome);
        if (elapsed is TimeSpan time)
        {
            text.Append(", ").Append(time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append(" s");
        }

        text.Append(']');
        return text.ToString();
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024.0)).ToString("0.00", CultureInfo.InvariantCulture) + " MB",
    };

    private static string Count(double n) => n switch
    {
        >= 1e9 => (n / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G",
        >= 1e6 => (n / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (n / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => n.ToString("0", CultureInfo.InvariantCulture),
    };

    private static string Number(double v) => v.ToString(v >= 100 ? "0" : "0.###", CultureInfo.InvariantCulture);
}
