using AdaDeep.Engine.Pipeline;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Reports one model's result the same way whether it was just compressed (cache miss), copied from the cache (hit)
/// or left alone by an up-to-date build: its warnings with the tool's own codes (so WarningsAsErrors and NoWarn
/// treat ADAnnnn codes alike on every path), the summary line, and the budget gate (ADB1201: a warning, or an error
/// with AdaDeepFailOnBudgetMiss). Everything it reports comes from the result document, nothing from the live run.
/// </summary>
internal static class ResultReporter
{
    public const string Miss = "cache miss";
    public const string Hit = "cache hit";

    /// <summary>Found in the shared remote cache (now also in the local one): no compression ran on this machine.</summary>
    public const string RemoteHit = "remote cache hit";
    public const string UpToDate = "up to date";

    /// <summary>False when the budget gate failed the model (an error was logged).</summary>
    public static bool Report(ModelPlan plan, CompressResult result, string outcome, TimeSpan? elapsed, bool failOnBudgetMiss, Microsoft.Build.Utilities.Task task)
    {
        var log = task.Log;
        foreach (var warning in result.Warnings.Select(AdaDeep.Onnx.Diagnostics.ToolDiagnostic.ParseWarning))
        {
            LogWarning(plan, log, warning.Code ?? BuildErrorCodes.CachedWarning, warning.Message, warning.File, warning.Line, warning.Column);
        }

        StructuredEvents.LogSummary(task.BuildEngine, task.GetType().Name, plan, result, outcome,
            CompressionSummary.Format(plan, result, new FileInfo(plan.Settings.ModelPath).Length, outcome, elapsed));
        if (result.BudgetsMet)
        {
            return true;
        }

        var message = $"the compressed model does not meet its budgets on {plan.DeviceFolder} (see {plan.ReportFile}); relax the budgets or allow a larger accuracy drop";
        if (failOnBudgetMiss)
        {
            plan.LogError(log, BuildErrorCodes.BudgetsNotMet, message);
            return false;
        }

        plan.LogWarning(log, BuildErrorCodes.BudgetsNotMet, message);
        return true;
    }

    /// <summary>A tool diagnostic about the item: at the item (csproj line) when it names the model or nothing, else
    /// at the file it names (e.g. a profile's line).</summary>
    public static void LogWarning(ModelPlan plan, TaskLoggingHelper log, string? code, string message, string? file, int line, int column)
    {
        if (file is null || IsModel(plan, file))
        {
            plan.LogWarning(log, code, message);
        }
        else
        {
            log.LogWarning("adadeep", code, null, file, line, column, 0, 0, message);
        }
    }

    /// <summary>The same for an error.</summary>
    public static void LogError(ModelPlan plan, TaskLoggingHelper log, string? code, string message, string? file, int line, int column)
    {
        if (file is null || IsModel(plan, file))
        {
            plan.LogError(log, code ?? BuildErrorCodes.ToolFailed, message);
        }
        else
        {
            log.LogError("adadeep", code, null, file, line, column, 0, 0, message);
        }
    }

    private static bool IsModel(ModelPlan plan, string file)
    {
        try
        {
            return string.Equals(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(plan.Settings.ModelPath)!, file)), plan.Settings.ModelPath, StringComparison.OrdinalIgnoreCase)
                || string.Equals(Path.GetFullPath(file), plan.Settings.ModelPath, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }
}
