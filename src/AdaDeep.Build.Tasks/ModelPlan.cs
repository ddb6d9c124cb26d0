using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
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
    public const string DefaultOptimizer = "dqn";
    private static readonly Regex DeviceIdPattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);
    private static readonly string[] Optimizers = { "dqn", "greedy", "exhaustive", "random" };

    private ModelPlan()
    {
    }

    /// <summary>The item as written in the project (for messages).</summary>
    public string ItemSpec { get; private set; } = "";

    public string ModelFile { get; private set; } = "";

    /// <summary>What follows --device: a catalog id, or the full path of a profile YAML.</summary>
    public string DeviceArgument { get; private set; } = "";

    public bool DeviceIsProfile { get; private set; }

    /// <summary>Folder name of the device in output paths: the id, or the profile's file name without extension.</summary>
    public string DeviceFolder { get; private set; } = "";

    public double? LatencyBudgetMs { get; private set; }

    public double? StorageBudgetMB { get; private set; }

    public double? EnergyBudgetMJ { get; private set; }

    public double? MinAccuracy { get; private set; }

    public double? MaxAccuracyDrop { get; private set; }

    public double? TimeBudgetSeconds { get; private set; }

    public string? DatasetPath { get; private set; }

    public int? Seed { get; private set; }

    public string? Optimizer { get; private set; }

    public string LogicalName { get; private set; } = "";

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

    /// <summary>Validates <paramref name="item"/>; logs every problem (with its ADB code and the model's file) and
    /// returns null when there was one.</summary>
    public static ModelPlan? Create(ITaskItem item, PlanContext context, TaskLoggingHelper log)
    {
        var errors = 0;
        var plan = new ModelPlan { ItemSpec = item.ItemSpec };
        plan.ModelFile = Path.GetFullPath(Path.Combine(context.ProjectDirectory, item.ItemSpec));
        void Error(string code, string message)
        {
            errors++;
            log.LogError(null, code, null, plan.ModelFile, 0, 0, 0, 0, message);
        }

        if (!File.Exists(plan.ModelFile))
        {
            Error(BuildErrorCodes.ModelNotFound, $"the model file '{item.ItemSpec}' of an AdaDeepModel item does not exist");
        }

        ResolveDevice(item, context, plan, Error);

        plan.LatencyBudgetMs = PositiveNumber(item, ModelMetadata.LatencyBudgetMs, Error);
        plan.StorageBudgetMB = PositiveNumber(item, ModelMetadata.StorageBudgetMB, Error);
        plan.EnergyBudgetMJ = PositiveNumber(item, ModelMetadata.EnergyBudgetMJ, Error);
        plan.TimeBudgetSeconds = PositiveNumber(item, ModelMetadata.TimeBudgetSeconds, Error);

        plan.MinAccuracy = Number(item, ModelMetadata.MinAccuracy, v => v > 0 && v <= 1, BuildErrorCodes.InvalidMinAccuracy,
            "a number in (0, 1], e.g. 0.97", Error);
        plan.MaxAccuracyDrop = Number(item, ModelMetadata.MaxAccuracyDrop, v => v >= 0 && v < 1, BuildErrorCodes.InvalidMaxAccuracyDrop,
            "a number in [0, 1), e.g. 0.01", Error);
        if (Text(item, ModelMetadata.MinAccuracy) is not null && Text(item, ModelMetadata.MaxAccuracyDrop) is not null)
        {
            Error(BuildErrorCodes.ConflictingAccuracy,
                "MinAccuracy and MaxAccuracyDrop are both set; give one accuracy floor: absolute (MinAccuracy) or relative to the original model (MaxAccuracyDrop)");
        }

        var dataset = Text(item, ModelMetadata.Dataset);
        if (dataset is not null)
        {
            plan.DatasetPath = Path.GetFullPath(Path.Combine(context.ProjectDirectory, dataset));
            if (!File.Exists(plan.DatasetPath) && !Directory.Exists(plan.DatasetPath))
            {
                Error(BuildErrorCodes.DatasetNotFound, $"the data set '{dataset}' (Dataset metadata) does not exist");
            }
        }

        var seed = Text(item, ModelMetadata.Seed);
        if (seed is not null)
        {
            if (int.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            {
                plan.Seed = s;
            }
            else
            {
                Error(BuildErrorCodes.InvalidSeed, $"Seed '{seed}' is not a whole number ≥ 0");
            }
        }

        var optimizer = Text(item, ModelMetadata.Optimizer)?.ToLowerInvariant();
        if (optimizer is not null && !Optimizers.Contains(optimizer))
        {
            Error(BuildErrorCodes.InvalidOptimizer, $"Optimizer '{optimizer}' is not one of {string.Join(", ", Optimizers)}");
        }

        plan.Optimizer = optimizer;

        var logicalName = Text(item, ModelMetadata.LogicalName) ?? "AdaDeep." + Path.GetFileNameWithoutExtension(plan.ModelFile) + ".onnx";
        if (!IsSafeLogicalName(logicalName))
        {
            Error(BuildErrorCodes.InvalidLogicalName,
                $"LogicalName '{logicalName}' must be a plain resource name (letters, digits, '.', '_', '-'; no path separators or '..')");
        }

        plan.LogicalName = logicalName;
        plan.Settings = ModelItemSettings.Read(item.ItemSpec, item.GetMetadata, context.ProjectDirectory, context.DeviceOverride);
        if (errors > 0)
        {
            return null;
        }

        plan.OutputFile = Path.GetFullPath(Path.Combine(context.IntermediateDirectory, "adadeep", plan.DeviceFolder, logicalName));
        if (!IsInside(plan.OutputFile, context.IntermediateDirectory))
        {
            Error(BuildErrorCodes.OutputOutsideIntermediate, $"the output {plan.OutputFile} would leave the intermediate folder {context.IntermediateDirectory}");
            return null;
        }

        var inputs = new List<string> { plan.ModelFile };
        if (plan.DatasetPath is not null)
        {
            inputs.AddRange(File.Exists(plan.DatasetPath)
                ? new[] { plan.DatasetPath }
                : Directory.GetFiles(plan.DatasetPath, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal));
        }

        if (plan.DeviceIsProfile)
        {
            inputs.Add(plan.DeviceArgument);
        }

        plan.InputFiles = inputs;
        plan.SettingsText = plan.BuildSettingsText(context.ToolPath);
        return plan;
    }

    /// <summary>Arguments of <c>adadeep compress</c> for this model (docs/build.md, "Tool contract").</summary>
    public IReadOnlyList<string> ToolArguments(string output, string resultJson, string report)
    {
        var args = new List<string> { "compress", ModelFile, "--device", DeviceArgument };
        void Add(string flag, double? value)
        {
            if (value is double v)
            {
                args.Add(flag);
                args.Add(v.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        Add("--latency-budget-ms", LatencyBudgetMs);
        Add("--storage-budget-mb", StorageBudgetMB);
        Add("--energy-budget-mj", EnergyBudgetMJ);
        Add("--min-accuracy", MinAccuracy);
        Add("--max-accuracy-drop", MaxAccuracyDrop);
        if (DatasetPath is not null)
        {
            args.Add("--dataset");
            args.Add(DatasetPath);
        }

        if (Seed is int seed)
        {
            args.Add("--seed");
            args.Add(seed.ToString(CultureInfo.InvariantCulture));
        }

        if (Optimizer is not null)
        {
            args.Add("--optimizer");
            args.Add(Optimizer);
        }

        Add("--time-budget", TimeBudgetSeconds);
        // --no-cache: the task looked the key up already and publishes the verified result itself (one publisher).
        args.AddRange(new[] { "--output", output, "--report", report, "--result-json", resultJson, "--progress", "lines", "--no-cache" });
        return args;
    }

    /// <summary>The item read by the one mapping the build and `dotnet adadeep` share (cache key inputs).</summary>
    public ModelItemSettings Settings { get; private set; } = null!;

    /// <summary>The cache key inputs of this model for an engine of identity <paramref name="engineIdentity"/>:
    /// <see cref="ModelItemSettings.KeyInputs"/>, the same function `dotnet adadeep warm` keys its entries with.</summary>
    public CacheKeyInputs KeyInputs(string engineIdentity) => Settings.KeyInputs(engineIdentity);

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or below it (after normalisation).</summary>
    public static bool IsInside(string path, string folder)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return full.StartsWith(root, comparison);
    }

    private static void ResolveDevice(ITaskItem item, PlanContext context, ModelPlan plan, Action<string, string> error)
    {
        var device = context.DeviceOverride ?? Text(item, ModelMetadata.Profile) ?? Text(item, ModelMetadata.Device);
        if (device is null)
        {
            error(BuildErrorCodes.MissingDevice,
                "no target device: set Device=\"<catalog id>\" (e.g. sony-sw3) or Profile=\"<file>.yaml\" on the AdaDeepModel item, or the AdaDeepDevice property");
            return;
        }

        if (device.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || device.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            var profile = Path.GetFullPath(Path.Combine(context.ProjectDirectory, device));
            plan.DeviceIsProfile = true;
            plan.DeviceArgument = profile;
            plan.DeviceFolder = SafeFolderName(Path.GetFileNameWithoutExtension(profile));
            if (!File.Exists(profile))
            {
                error(BuildErrorCodes.ProfileNotFound, $"the device profile '{device}' does not exist");
            }

            return;
        }

        if (!DeviceIdPattern.IsMatch(device))
        {
            error(BuildErrorCodes.InvalidDevice,
                $"'{device}' is neither a catalog device id (letters, digits, '.', '_', '-', e.g. sony-sw3) nor a profile .yaml file");
            return;
        }

        plan.DeviceArgument = device;
        plan.DeviceFolder = device;
    }

    private static string SafeFolderName(string name)
    {
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "profile" : safe;
    }

    private static bool IsSafeLogicalName(string name) =>
        name.Length > 0 && name.Length <= 200 && !name.Contains("..") && name.Trim() == name
        && name.All(c => char.IsLetterOrDigit(c) || c == '.' || c == '_' || c == '-');

    private static string? Text(ITaskItem item, string name)
    {
        var value = item.GetMetadata(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static double? PositiveNumber(ITaskItem item, string name, Action<string, string> error) =>
        Number(item, name, v => v > 0, BuildErrorCodes.InvalidBudget, "a positive number written with '.' as the decimal point, e.g. 12.5", error);

    private static double? Number(ITaskItem item, string name, Func<double, bool> valid, string code, string expected, Action<string, string> error)
    {
        var text = Text(item, name);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && !double.IsNaN(value) && !double.IsInfinity(value) && valid(value))
        {
            return value;
        }

        error(code, $"{name} '{text}' is not {expected}");
        return null;
    }

    private string BuildSettingsText(string? toolPath)
    {
        var text = new StringBuilder();
        void Line(string name, string? value) => text.Append(name).Append('=').Append(value ?? CacheKey.Absent).Append('\n');
        Line("format", "adadeep-settings/1");
        Line("device", DeviceArgument);
        Line("latency_ms", CacheKey.FormatNumber(LatencyBudgetMs));
        Line("storage_mb", CacheKey.FormatNumber(StorageBudgetMB));
        Line("energy_mj", CacheKey.FormatNumber(EnergyBudgetMJ));
        Line("min_accuracy", CacheKey.FormatNumber(MinAccuracy));
        Line("max_accuracy_drop", CacheKey.FormatNumber(MaxAccuracyDrop));
        Line("dataset", DatasetPath);
        Line("seed", Seed?.ToString(CultureInfo.InvariantCulture));
        Line("optimizer", Optimizer);
        Line("time_budget_s", CacheKey.FormatNumber(TimeBudgetSeconds));
        Line("logical_name", LogicalName);
        Line("tool", toolPath);
        return text.ToString();
    }
}
