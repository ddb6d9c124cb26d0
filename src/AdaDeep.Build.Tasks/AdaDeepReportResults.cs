using AdaDeep.Engine.Pipeline;
using Microsoft.Build.Framework;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Reports the models an incremental build did not compress because their outputs were up to date: their warnings,
/// summary line and budget gate come from the result document kept in obj/ (<see cref="ResultReporter"/>), so a
/// no-op build fails or warns exactly as the build that produced the output did, and a gate added later
/// (WarningsAsErrors, NoWarn, AdaDeepFailOnBudgetMiss) applies without recompressing anything.
/// </summary>
public sealed class AdaDeepReportResults : AdaDeepModelsTask
{
    /// <summary>The models AdaDeepCompress handled in this build (reported already): the others are up to date.</summary>
    public ITaskItem[] Compressed { get; set; } = new ITaskItem[0];

    /// <summary>$(AdaDeepFailOnBudgetMiss).</summary>
    public bool FailOnBudgetMiss { get; set; }

    public override bool Execute()
    {
        var plans = AdaDeepPrepareModels.PlanAll(Models, Context(null), Log);
        if (plans is null)
        {
            return false;
        }

        var reported = new HashSet<string>(Compressed.Select(c => Path.GetFullPath(c.ItemSpec)), StringComparer.OrdinalIgnoreCase);
        foreach (var (_, plan) in plans.Where(p => !reported.Contains(p.Plan.OutputFile)))
        {
            if (!File.Exists(plan.OutputFile) || !File.Exists(plan.ResultFile))
            {
                continue; // not built yet (e.g. an earlier model failed): nothing to report
            }

            CompressResult result;
            try
            {
                result = CompressResult.FromJson(File.ReadAllText(plan.ResultFile));
            }
            catch (FormatException e)
            {
                plan.LogError(Log, BuildErrorCodes.ToolResultInvalid, $"the result JSON {plan.ResultFile} is malformed: {e.Message}; delete it to recompress");
                continue;
            }

            ResultReporter.Report(plan, result, ResultReporter.UpToDate, null, FailOnBudgetMiss, this);
        }

        return !Log.HasLoggedErrors;
    }
}
