using System.Text;
using AdaDeep.Engine.Cache;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Validates every AdaDeepModel item and plans its outputs, for the targets' Inputs/Outputs and EmbeddedResource:
/// returns one item per model (the model's full path) with OutputFile, ResultFile, ReportFile, StampFile, InputFiles,
/// DeviceFolder, EffectiveDevice and LogicalName. Writes each StampFile (the settings that are not files) only when
/// its text changes, so a changed budget or device makes the output stale while a no-op build stays a no-op.
/// </summary>
public sealed class AdaDeepPrepareModels : AdaDeepModelsTask
{
    /// <summary>The resolved tool; part of the stamp, so a new tool version rebuilds.</summary>
    public string? ToolPath { get; set; }

    /// <summary>False when AdaDeepEnabled is false: validate and name the resources, write no stamps.</summary>
    public bool WriteStamps { get; set; } = true;

    [Output]
    public ITaskItem[] PreparedModels { get; private set; } = new ITaskItem[0];

    public override bool Execute()
    {
        PreparedModels = Prepare(Context(ToolPath));
        return !Log.HasLoggedErrors;
    }

    internal ITaskItem[] Prepare(PlanContext context)
    {
        var plans = PlanAll(Models, context, Log, checkMetadataNames: true);
        if (plans is null)
        {
            return new ITaskItem[0];
        }

        if (WriteStamps)
        {
            // Work folders of a build that was killed mid-compress (no finally block ran) go now, not never.
            foreach (var folder in plans.Select(p => Path.GetDirectoryName(p.Plan.OutputFile)!).Distinct(StringComparer.Ordinal))
            {
                var removed = WorkFolder.RemoveStale(folder);
                if (removed > 0)
                {
                    Log.LogMessage(MessageImportance.Normal, $"AdaDeep: removed {removed} work folder(s) left by an interrupted build in {folder}");
                }
            }
        }

        var prepared = new List<ITaskItem>();
        foreach (var (item, plan) in plans)
        {
            if (WriteStamps)
            {
                WriteIfChanged(plan.StampFile, plan.SettingsText);
            }

            var output = new TaskItem(plan.Settings.ModelPath);
            item.CopyMetadataTo(output);
            output.SetMetadata(ModelMetadata.OriginalItemSpec, plan.Settings.ItemSpec);
            output.SetMetadata(ModelMetadata.OutputFile, plan.OutputFile);
            output.SetMetadata(ModelMetadata.ResultFile, plan.ResultFile);
            output.SetMetadata(ModelMetadata.ReportFile, plan.ReportFile);
            output.SetMetadata(ModelMetadata.ReportJsonFile, plan.ReportJsonFile);
            output.SetMetadata(ModelMetadata.StampFile, plan.StampFile);
            output.SetMetadata(ModelMetadata.InputFiles, string.Join(";", plan.InputFiles));
            output.SetMetadata(ModelMetadata.DeviceFolder, plan.DeviceFolder);
            output.SetMetadata(ModelMetadata.EffectiveDevice, plan.DeviceArgument);
            output.SetMetadata(ModelItemSettings.Metadata.LogicalName, plan.Settings.LogicalName);
            prepared.Add(output);
        }

        return prepared.ToArray();
    }

    /// <summary>Plans every item and checks that LogicalNames are unique; null when any item is invalid.</summary>
    internal static List<(ITaskItem Item, ModelPlan Plan)>? PlanAll(IEnumerable<ITaskItem> items, PlanContext context, TaskLoggingHelper log,
        bool checkMetadataNames = false)
    {
        var plans = new List<(ITaskItem, ModelPlan)>();
        var failed = false;
        var byName = new Dictionary<string, ModelPlan>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            var plan = ModelPlan.Create(item, context, log, checkMetadataNames);
            if (plan is null)
            {
                failed = true;
                continue;
            }

            if (byName.TryGetValue(plan.Settings.LogicalName, out var first))
            {
                plan.LogError(log, BuildErrorCodes.DuplicateLogicalName,
                    $"LogicalName '{plan.Settings.LogicalName}' is also used by '{first.Settings.ItemSpec}'; give one of the AdaDeepModel items its own LogicalName");
                failed = true;
                continue;
            }

            byName[plan.Settings.LogicalName] = plan;
            plans.Add((item, plan));
        }

        return failed ? null : plans;
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }
}
