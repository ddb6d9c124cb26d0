using AdaDeep.Engine.Cache;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// One AdaDeepModel item, validated, with everything derived from it: the device, budgets and options it passes to
/// the tool, and where its outputs go (<c>&lt;obj&gt;/adadeep/&lt;device&gt;/&lt;LogicalName&gt;</c>). Both tasks
/// build plans the same way, so the paths the targets use for Inputs/Outputs are the paths the compress task writes.
/// </summary>
internal sealed class ModelPlan
{
    private ModelPlan(ModelItemSettings settings) => Settings = settings;

    /// <summary>
    /// The item's metadata as read by the one mapping the build and `dotnet adadeep` share (ModelItemSettings): the
    /// model, device, budgets, data set, seed, optimizer and logical name, and the cache key inputs.
    /// </summary>
    public ModelItemSettings Settings { get; }

    /// <summary>What follows --device: a catalog id, or the full path of a profile YAML (never null on a plan).</summary>
    public string DeviceArgument => Settings.DeviceArgument!;

    /// <summary>Folder name of the device in output paths: the id, or the profile's file name without extension.</summary>
    public string DeviceFolder { get; private set; } = "";

    public string OutputFile { get; private set; } = "";

    public string ResultFile => Path.ChangeExtension(OutputFile, ".result.json");

    public string ReportFile => Path.ChangeExtension(OutputFile, ".report.md");

    public string ReportJsonFile => Path.ChangeExtension(OutputFile, ".report.json");

    /// <summary>Holds <see cref="SettingsText"/>; rewritten only when it changes, so it is a timestamp input.</summary>
    public string StampFile => Path.ChangeExtension(OutputFile, ".settings");

    /// <summary>Model, every data set file and the profile: the files whose change makes the output stale.</summary>
    public IReadOnlyList<string> InputFiles { get; private set; } = new string[0];

    /// <summary>Every setting that changes the output but is not a file: device, budgets, options, tool.</summary>
    public string SettingsText { get; private set; } = "";

    /// <summary>Where the item is written (the project file and line, or the model when no project file is known).</summary>
    public ItemLocation Location { get; private set; } = new ItemLocation("", 0, 0, false);

    /// <summary>Validates <paramref name="item"/>; logs every problem (with its ADB code, at the item's line in the project
    /// file) and returns null when there was one. <paramref name="checkMetadataNames"/>: warn about metadata the build
    /// does not know (for the user's AdaDeepModel items, not for the planned items the targets pass on).</summary>
    public static ModelPlan? Create(ITaskItem item, PlanContext context, TaskLoggingHelper log, bool checkMetadataNames = false)
    {
        var names = checkMetadataNames ? item.CloneCustomMetadata().Keys.Cast<string>() : null;
        var spec = item.GetMetadata(ModelMetadata.OriginalItemSpec) is { Length: > 0 } original ? original : item.ItemSpec;
        var settings = ModelItemSettings.Read(spec, item.GetMetadata, context.ProjectDirectory, context.DeviceOverride, names);
        var location = ItemLocation.Find(context.ProjectFile, spec, settings.ModelPath);
        foreach (var warning in settings.Warnings)
        {
            log.LogWarning(null, BuildErrorCodes.UnknownMetadata, null, location.File, location.Line, location.Column, 0, 0, location.About(spec, warning.Message));
        }

        foreach (var problem in settings.Problems)
        {
            log.LogError(null, CodeOf(problem), null, location.File, location.Line, location.Column, 0, 0, location.About(spec, problem.Message));
        }

        if (!settings.IsValid)
        {
            return null;
        }

        var plan = new ModelPlan(settings) { Location = location };
        plan.DeviceFolder = settings.DeviceIsProfile ? SafeFolderName(settings.DeviceName!) : settings.DeviceName!;
        plan.OutputFile = Path.GetFullPath(Path.Combine(context.IntermediateDirectory, "adadeep", plan.DeviceFolder, settings.LogicalName));
        if (!IsInside(plan.OutputFile, context.IntermediateDirectory))
        {
            plan.LogError(log, BuildErrorCodes.OutputOutsideIntermediate, $"the output {plan.OutputFile} would leave the intermediate folder {context.IntermediateDirectory}");
            return null;
        }

        var inputs = new List<string> { settings.ModelPath };
        if (settings.DatasetPath is { } dataset)
        {
            inputs.AddRange(File.Exists(dataset)
                ? new[] { dataset }
                : Directory.GetFiles(dataset, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));
        }

        if (settings.DeviceIsProfile)
        {
            inputs.Add(plan.DeviceArgument);
        }

        // Files given as input constants (Inputs="state=state.npy") are inputs of the build step too.
        inputs.AddRange(settings.Inputs.Select(i => i.Substring(i.IndexOf('=') + 1)).Where(File.Exists));
        plan.InputFiles = inputs;
        plan.SettingsText = settings.StampText(context.ToolPath);
        return plan;
    }

    /// <summary>Arguments of <c>adadeep compress</c> for this model: <see cref="ModelItemSettings.ToolArguments"/>.</summary>
    public IReadOnlyList<string> ToolArguments(string output, string resultJson, string report) => Settings.ToolArguments(output, resultJson, report);

    /// <summary>The cache key inputs of this model for an engine of identity <paramref name="engineIdentity"/>:
    /// <see cref="ModelItemSettings.KeyInputs"/>, the same function `dotnet adadeep warm` keys its entries with.</summary>
    public CacheKeyInputs KeyInputs(string engineIdentity) => Settings.KeyInputs(engineIdentity);

    /// <summary>Logs an error about this item at its location (the csproj line), naming the item.</summary>
    public void LogError(TaskLoggingHelper log, string code, string message) =>
        log.LogError(null, code, null, Location.File, Location.Line, Location.Column, 0, 0, Location.About(Settings.ItemSpec, message));

    /// <summary>Logs a warning about this item at its location.</summary>
    public void LogWarning(TaskLoggingHelper log, string? code, string message) =>
        log.LogWarning(null, code, null, Location.File, Location.Line, Location.Column, 0, 0, Location.About(Settings.ItemSpec, message));

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or below it (after normalisation).</summary>
    public static bool IsInside(string path, string folder)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return full.StartsWith(root, comparison);
    }

    /// <summary>The build's code for a problem the shared reader found (docs/build.md lists them).</summary>
    private static string CodeOf(ModelItemProblem problem)
    {
        switch (problem.Kind)
        {
            case ModelItemSettings.ProblemModelNotFound: return BuildErrorCodes.ModelNotFound;
            case ModelItemSettings.ProblemMissingDevice: return BuildErrorCodes.MissingDevice;
            case ModelItemSettings.ProblemUnknownDevice: return BuildErrorCodes.UnknownDevice;
            case ModelItemSettings.ProblemInvalidDevice: return BuildErrorCodes.InvalidDevice;
            case ModelItemSettings.ProblemProfileNotFound: return BuildErrorCodes.ProfileNotFound;
            case ModelItemSettings.ProblemConflictingAccuracy: return BuildErrorCodes.ConflictingAccuracy;
            case ModelItemSettings.ProblemDatasetNotFound: return BuildErrorCodes.DatasetNotFound;
            case ModelItemSettings.ProblemInvalidLogicalName: return BuildErrorCodes.InvalidLogicalName;
        }

        switch (problem.Metadata)
        {
            case ModelItemSettings.Metadata.MinAccuracy: return BuildErrorCodes.InvalidMinAccuracy;
            case ModelItemSettings.Metadata.MaxAccuracyDrop: return BuildErrorCodes.InvalidMaxAccuracyDrop;
            case ModelItemSettings.Metadata.Seed: return BuildErrorCodes.InvalidSeed;
            case ModelItemSettings.Metadata.Optimizer: return BuildErrorCodes.InvalidOptimizer;
            default: return BuildErrorCodes.InvalidBudget; // LatencyBudgetMs, StorageBudgetMB, EnergyBudgetMJ, TimeBudgetSeconds
        }
    }

    private static string SafeFolderName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "profile" : safe;
    }
}
