using System.Globalization;
using System.Runtime.CompilerServices;
using AdaDeep.Engine.Pipeline;
using Microsoft.Build.Framework;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// The task's progress and summary as structured build events: <see cref="ExtendedBuildMessageEventArgs"/> with an
/// <see cref="ExtendedBuildMessageEventArgs.ExtendedType"/> of its own and the model, device, stage and percent as
/// metadata, for loggers, binlog viewers and IDEs to read without parsing text. The text and importance are the ones
/// the task logged before, so the classic console logger prints the same lines. SDK 10.0.401's terminal logger has
/// no event a task may use for its status line (docs/build.md "What the terminal logger shows").
/// </summary>
internal static class StructuredEvents
{
    public const string ProgressType = "AdaDeep.Progress";
    public const string SummaryType = "AdaDeep.Summary";

    /// <summary>One progress line of the tool, at low importance.</summary>
    public static void LogProgress(IBuildEngine engine, string sender, ModelPlan plan, double percent, string? stage, string text)
    {
        var model = Path.GetFileName(plan.Settings.ModelPath);
        var message = $"AdaDeep: {model} ({plan.DeviceFolder}) {percent:0}% {text}";
        Log(engine, ProgressType, message, MessageImportance.Low, sender, new Dictionary<string, string?>
        {
            ["item"] = plan.Settings.ItemSpec,
            ["model"] = model,
            ["device"] = plan.DeviceFolder,
            ["stage"] = stage,
            ["percent"] = percent.ToString("0.##", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>The summary line of a model (compressed, copied from the cache or up to date), at high importance.</summary>
    public static void LogSummary(IBuildEngine engine, string sender, ModelPlan plan, CompressResult result, string outcome, string message)
    {
        Log(engine, SummaryType, message, MessageImportance.High, sender, new Dictionary<string, string?>
        {
            ["item"] = plan.Settings.ItemSpec,
            ["model"] = Path.GetFileName(plan.Settings.ModelPath),
            ["device"] = plan.DeviceFolder,
            ["outcome"] = outcome,
            ["budgetsMet"] = result.BudgetsMet ? "true" : "false",
            ["sizeBytes"] = result.SizeBytes.ToString(CultureInfo.InvariantCulture),
            ["latencyMs"] = result.LatencyMs.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    private static void Log(IBuildEngine engine, string type, string message, MessageImportance importance, string sender, Dictionary<string, string?> metadata)
    {
        try
        {
            LogExtended(engine, type, message, importance, sender, metadata);
        }
        catch (TypeLoadException)
        {
            // An MSBuild older than 17.6 (no ExtendedBuildMessageEventArgs): the same line, without the metadata.
            engine.LogMessageEvent(new BuildMessageEventArgs(message, null, sender, importance));
        }
    }

    // Its own method, so that a missing type fails when this is compiled, inside the try above.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LogExtended(IBuildEngine engine, string type, string message, MessageImportance importance, string sender, Dictionary<string, string?> metadata) =>
        engine.LogMessageEvent(new ExtendedBuildMessageEventArgs(type, message, null, sender, importance) { ExtendedMetadata = metadata });
}
