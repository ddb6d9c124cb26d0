using System.Globalization;

// Part of AdaDeep.Contracts (netstandard2.0), referenced by the build task and the engine. This is the ONE mapping
// from an AdaDeepModel item's evaluated metadata (plus the AdaDeepDevice property) to the tool's arguments, the cache
// key inputs and the settings stamp: the build task and `dotnet adadeep` (listing, warm, report) both call it, so a
// cache entry that `adadeep warm` publishes is the entry the build looks up.
namespace AdaDeep.Engine.Cache;

/// <summary>One problem with an item's metadata: the metadata name (or "Include" for the model) and a message.</summary>
public sealed class ModelItemProblem
{
    public ModelItemProblem(string kind, string metadata, string message)
    {
        Kind = kind;
        Metadata = metadata;
        Message = message;
    }

    /// <summary>One of the <see cref="ModelItemSettings"/>.Problem* constants, so each side can give its own code.</summary>
    public string Kind { get; }

    public string Metadata { get; }

    public string Message { get; }

    public override string ToString() => Message;
}

/// <summary>
/// An AdaDeepModel item as the build reads it: text metadata trimmed (blank = not given), numbers in the invariant
/// culture, the device from the AdaDeepDevice override, else Profile, else Device, paths taken from the project
/// folder. Values stay "as the user gave them" (null = not given): the cache key hashes them that way.
/// </summary>
public sealed class ModelItemSettings
{
    /// <summary>Metadata names of the AdaDeepModel item (docs/build.md has the table).</summary>
    public static class Metadata
    {
        public const string Device = "Device";
        public const string Profile = "Profile";
        public const string LatencyBudgetMs = "LatencyBudgetMs";
        public const string StorageBudgetMB = "StorageBudgetMB";
        public const string EnergyBudgetMJ = "EnergyBudgetMJ";
        public const string MinAccuracy = "MinAccuracy";
        public const string MaxAccuracyDrop = "MaxAccuracyDrop";
        public const string Dataset = "Dataset";
        public const string TestDataset = "TestDataset";
        public const string Seed = "Seed";
        public const string Optimizer = "Optimizer";
        public const string TimeBudgetSeconds = "TimeBudgetSeconds";
        public const string LogicalName = "LogicalName";
        public const string InputShape = "InputShape";
        public const string Inputs = "Inputs";
        public const string AllowLossy = "AllowLossy";

        /// <summary>Every metadata name an AdaDeepModel item may carry (a name outside it is reported with the nearest one).</summary>
        public static IReadOnlyList<string> All { get; } = new[]
        {
            Device, Profile, LatencyBudgetMs, StorageBudgetMB, EnergyBudgetMJ, MinAccuracy, MaxAccuracyDrop, Dataset, TestDataset,
            Seed, Optimizer, TimeBudgetSeconds, LogicalName, InputShape, Inputs, AllowLossy,
        };
    }

    // Problem kinds.
    public const string ProblemModelNotFound = "model-not-found";
    public const string ProblemMissingDevice = "missing-device";
    public const string ProblemInvalidDevice = "invalid-device";
    public const string ProblemProfileNotFound = "profile-not-found";
    public const string ProblemInvalidValue = "invalid-value";
    public const string ProblemConflictingAccuracy = "conflicting-accuracy";
    public const string ProblemDatasetNotFound = "dataset-not-found";
    public const string ProblemInvalidLogicalName = "invalid-logical-name";
    public const string ProblemUnknownMetadata = "unknown-metadata";
    public const string ProblemUnknownDevice = "unknown-device";

    /// <summary>The seed of an item (and of a run) that names none.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The optimizer of an item (and of a run) that names none.</summary>
    public const string DefaultOptimizer = "dqn";

    /// <summary>The optimizers an item may name (the engine also has single:&lt;technique&gt;, not for builds).</summary>
    public static readonly string[] Optimizers = { "dqn", "greedy", "exhaustive", "random", "greedy-explore", "greedy-lookahead" };

    private readonly List<ModelItemProblem> _problems = new List<ModelItemProblem>();
    private readonly List<ModelItemProblem> _warnings = new List<ModelItemProblem>();

    private ModelItemSettings()
    {
    }

    /// <summary>The item as written in the project (its Include).</summary>
    public string ItemSpec { get; private set; } = "";

    /// <summary>Full path of the input model.</summary>
    public string ModelPath { get; private set; } = "";

    /// <summary>What the build passes as --device: a catalog id, or the full path of a profile YAML; null when none.</summary>
    public string? DeviceArgument { get; private set; }

    public bool DeviceIsProfile { get; private set; }

    /// <summary>The device as shown to people and used in output folders: the id, or the profile's file name.</summary>
    public string? DeviceName { get; private set; }

    public double? LatencyBudgetMs { get; private set; }

    public double? StorageBudgetMB { get; private set; }

    public double? EnergyBudgetMJ { get; private set; }

    public double? MinAccuracy { get; private set; }

    public double? MaxAccuracyDrop { get; private set; }

    public double? TimeBudgetSeconds { get; private set; }

    /// <summary>Full path of the data set (file or folder); null when not given.</summary>
    public string? DatasetPath { get; private set; }

    /// <summary>Full path of the test data set (file or folder) the reported accuracy is measured on; null when not given.</summary>
    public string? TestDatasetPath { get; private set; }
    /// <summary>InputShape metadata split at ';': "NAME=1x3x48x192" each, passed as --input-shape; empty when not given.</summary>
    public IReadOnlyList<string> InputShapes { get; private set; } = new string[0];

    /// <summary>Inputs metadata split at ';': "NAME=VALUE|FILE" each (a FILE as a full path), passed as --input.</summary>
    public IReadOnlyList<string> Inputs { get; private set; } = new string[0];

    public int? Seed { get; private set; }

    /// <summary>Lowercase; null when not given.</summary>
    public string? Optimizer { get; private set; }

    /// <summary>AllowLossy="true": the search may use lossy techniques without real data (`adadeep compress --allow-lossy`).</summary>
    public bool AllowLossy { get; private set; }

    /// <summary>The manifest resource name: LogicalName, else AdaDeep.&lt;model file name&gt;.onnx.</summary>
    public string LogicalName { get; private set; } = "";

    /// <summary>Everything that keeps this item from compressing (empty when it is valid).</summary>
    public IReadOnlyList<ModelItemProblem> Problems => _problems;

    public bool IsValid => _problems.Count == 0;

    /// <summary>What does not keep the item from compressing but is probably a mistake (e.g. a misspelled metadata name).</summary>
    public IReadOnlyList<ModelItemProblem> Warnings => _warnings;

    /// <summary>
    /// Reads an item. <paramref name="metadata"/> returns the evaluated (unescaped) value of a metadata, empty or
    /// null when unset; <paramref name="deviceOverride"/> is $(AdaDeepDevice); <paramref name="metadataNames"/> are
    /// the names of the item's custom metadata, when the caller knows them (each unknown one becomes a warning that
    /// names the nearest known name). Never throws for bad metadata: every problem is collected in <see cref="Problems"/>.
    /// </summary>
    public static ModelItemSettings Read(string itemSpec, Func<string, string?> metadata, string projectDirectory, string? deviceOverride,
        IEnumerable<string>? metadataNames = null)
    {
        if (metadata is null)
        {
            throw new ArgumentNullException(nameof(metadata));
        }

        var settings = new ModelItemSettings { ItemSpec = itemSpec };
        string? Text(string name)
        {
            var value = metadata(name);
            return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        foreach (var name in metadataNames ?? Enumerable.Empty<string>())
        {
            if (!Metadata.All.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var near = NearestMetadata(name);
                settings._warnings.Add(new ModelItemProblem(ProblemUnknownMetadata, name,
                    $"unknown AdaDeepModel metadata '{name}' is ignored" + (near is null ? $"; known: {string.Join(", ", Metadata.All)}" : $"; did you mean '{near}'?")));
            }
        }

        settings.ModelPath = Path.GetFullPath(Path.Combine(projectDirectory, itemSpec));
        if (!File.Exists(settings.ModelPath))
        {
            settings.Problem(ProblemModelNotFound, "Include", $"the model file '{itemSpec}' of an AdaDeepModel item does not exist");
        }

        var device = string.IsNullOrWhiteSpace(deviceOverride) ? Text(Metadata.Profile) ?? Text(Metadata.Device) : deviceOverride!.Trim();
        settings.ReadDevice(device, projectDirectory);

        settings.LatencyBudgetMs = settings.Number(Text, ItemSetting.LatencyBudgetMs);
        settings.StorageBudgetMB = settings.Number(Text, ItemSetting.StorageBudgetMB);
        settings.EnergyBudgetMJ = settings.Number(Text, ItemSetting.EnergyBudgetMJ);
        settings.TimeBudgetSeconds = settings.Number(Text, ItemSetting.TimeBudgetSeconds);
        settings.MinAccuracy = settings.Number(Text, ItemSetting.MinAccuracy);
        settings.MaxAccuracyDrop = settings.Number(Text, ItemSetting.MaxAccuracyDrop);
        if (Text(Metadata.MinAccuracy) is not null && Text(Metadata.MaxAccuracyDrop) is not null)
        {
            settings.Problem(ProblemConflictingAccuracy, Metadata.MaxAccuracyDrop,
                "MinAccuracy and MaxAccuracyDrop are both set; give one accuracy floor: absolute (MinAccuracy) or relative to the original model (MaxAccuracyDrop)");
        }

        var dataset = Text(Metadata.Dataset);
        if (dataset is not null)
        {
            settings.DatasetPath = Path.GetFullPath(Path.Combine(projectDirectory, dataset));
            if (!File.Exists(settings.DatasetPath) && !Directory.Exists(settings.DatasetPath))
            {
                settings.Problem(ProblemDatasetNotFound, Metadata.Dataset, $"the data set '{dataset}' (Dataset metadata) does not exist");
            }
        }

        var testDataset = Text(Metadata.TestDataset);
        if (testDataset is not null)
        {
            settings.TestDatasetPath = Path.GetFullPath(Path.Combine(projectDirectory, testDataset));
            if (!File.Exists(settings.TestDatasetPath) && !Directory.Exists(settings.TestDatasetPath))
            {
                settings.Problem(ProblemDatasetNotFound, Metadata.TestDataset, $"the test data set '{testDataset}' (TestDataset metadata) does not exist");
            }
        }
        settings.InputShapes = Split(Text(Metadata.InputShape));
        settings.Inputs = Split(Text(Metadata.Inputs)).Select(spec =>
        {
            // A value that names a file is taken from the project folder, as Dataset is.
            var eq = spec.IndexOf('=');
            var value = eq < 0 ? "" : spec.Substring(eq + 1).Trim();
            var file = value.Length == 0 ? "" : Path.GetFullPath(Path.Combine(projectDirectory, value));
            return value.Length > 0 && File.Exists(file) ? spec.Substring(0, eq).Trim() + "=" + file : spec;
        }).ToArray();

        var seed = Text(Metadata.Seed);
        if (seed is not null)
        {
            if (int.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            {
                settings.Seed = s;
            }
            else
            {
                settings.Problem(ProblemInvalidValue, Metadata.Seed, $"Seed '{seed}' is not a whole number ≥ 0");
            }
        }

        var optimizer = Text(Metadata.Optimizer)?.ToLowerInvariant();
        if (optimizer is not null && Array.IndexOf(Optimizers, optimizer) < 0)
        {
            settings.Problem(ProblemInvalidValue, Metadata.Optimizer, $"Optimizer '{optimizer}' is not one of {string.Join(", ", Optimizers)}");
        }

        settings.Optimizer = optimizer;
        var allowLossy = Text(Metadata.AllowLossy);
        if (allowLossy is not null)
        {
            if (bool.TryParse(allowLossy, out var allow))
            {
                settings.AllowLossy = allow;
            }
            else
            {
                settings.Problem(ProblemInvalidValue, Metadata.AllowLossy, $"AllowLossy '{allowLossy}' is not true or false");
            }
        }

        settings.LogicalName = Text(Metadata.LogicalName) ?? "AdaDeep." + Path.GetFileNameWithoutExtension(settings.ModelPath) + ".onnx";
        if (!IsSafeLogicalName(settings.LogicalName))
        {
            // It names the output file too (obj/adadeep/<device>/<LogicalName>): no way out of that folder.
            settings.Problem(ProblemInvalidLogicalName, Metadata.LogicalName,
                $"LogicalName '{settings.LogicalName}' must be a plain resource name (letters, digits, '.', '_', '-'; no path separators or '..')");
        }

        return settings;
    }

    /// <summary>True when <paramref name="device"/> names a profile file rather than a catalog id.</summary>
    public static bool IsProfilePath(string device) =>
        device.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || device.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The cache key inputs for an engine whose identity is <paramref name="engineIdentity"/>
    /// (<see cref="CacheKey.EngineIdentity"/> of the tool folder). Hashes the model, the data set and a profile.
    /// </summary>
    /// <exception cref="InvalidOperationException">The item has problems (check <see cref="IsValid"/> first).</exception>
    public CacheKeyInputs KeyInputs(string engineIdentity)
    {
        if (!IsValid || DeviceArgument is null)
        {
            throw new InvalidOperationException($"the AdaDeepModel item '{ItemSpec}' is not valid: {string.Join("; ", _problems.Select(p => p.Message))}");
        }

        return new CacheKeyInputs
        {
            EngineVersion = engineIdentity,
            ModelSha256 = CacheKey.HashFile(ModelPath),
            // A catalog's content is part of the engine identity (embedded in AdaDeep.Devices.dll, or a YAML next to the tool).
            DeviceIdentity = DeviceIsProfile ? CacheKey.DeviceIdentityForProfile(DeviceArgument) : CacheKey.DeviceIdentityForCatalogId(DeviceArgument),
            LatencyBudgetMs = LatencyBudgetMs,
            StorageBudgetMB = StorageBudgetMB,
            EnergyBudgetMJ = EnergyBudgetMJ,
            MinAccuracy = MinAccuracy,
            MaxAccuracyDrop = MaxAccuracyDrop,
            DatasetHash = CacheKey.DatasetHash(DatasetPath),
            TestDatasetHash = CacheKey.DatasetHash(TestDatasetPath),
            Optimizer = Optimizer,
            Seed = Seed,
            TimeBudgetSeconds = TimeBudgetSeconds,
            // The names EngineCacheKey gives the same settings, so the task's key and the CLI's agree.
            SearchSettings = CacheKey.FormatSettings(new[]
            {
                new KeyValuePair<string, string?>("input_shape", CacheKey.InputSettings(InputShapes)),
                new KeyValuePair<string, string?>("inputs", CacheKey.InputSettings(Inputs)),
                new KeyValuePair<string, string?>("allow_lossy", AllowLossy ? "true" : null),
            }),
        };
    }

    private static string[] Split(string? text) =>
        text is null ? new string[0] : text.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

    /// <summary>The cache key (<see cref="CacheKey.Compute"/> of <see cref="KeyInputs"/>).</summary>
    public string Key(string engineIdentity) => CacheKey.Compute(KeyInputs(engineIdentity));

    /// <summary>The value of a numeric setting (null when not given).</summary>
    public double? Value(ItemSetting setting) => setting switch
    {
        _ when setting == ItemSetting.LatencyBudgetMs => LatencyBudgetMs,
        _ when setting == ItemSetting.StorageBudgetMB => StorageBudgetMB,
        _ when setting == ItemSetting.EnergyBudgetMJ => EnergyBudgetMJ,
        _ when setting == ItemSetting.MinAccuracy => MinAccuracy,
        _ when setting == ItemSetting.MaxAccuracyDrop => MaxAccuracyDrop,
        _ when setting == ItemSetting.TimeBudgetSeconds => TimeBudgetSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, "not a setting of an item"),
    };

    /// <summary>
    /// Arguments of <c>adadeep compress</c> for this item (docs/build.md, "Tool contract"): full paths, numbers in
    /// the invariant culture, only the options the item sets. The tool writes into <paramref name="output"/>,
    /// <paramref name="resultJson"/> and <paramref name="report"/>; --no-cache because the task looked the key up
    /// already and publishes the verified result itself (one publisher).
    /// </summary>
    public IReadOnlyList<string> ToolArguments(string output, string resultJson, string report)
    {
        var args = new List<string> { "compress", ModelPath, "--device", DeviceArgument ?? throw new InvalidOperationException("the item has no device") };
        foreach (var setting in ItemSetting.Numbers)
        {
            if (Value(setting) is double v)
            {
                args.Add(setting.Option);
                args.Add(ItemSetting.FormatArgument(v));
            }
        }

        if (DatasetPath is not null)
        {
            args.Add("--dataset");
            args.Add(DatasetPath);
        }

        if (TestDatasetPath is not null)
        {
            args.Add("--test-dataset");
            args.Add(TestDatasetPath);
        }

        foreach (var shape in InputShapes)
        {
            args.Add("--input-shape");
            args.Add(shape);
        }

        foreach (var input in Inputs)
        {
            args.Add("--input");
            args.Add(input);
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

        if (AllowLossy)
        {
            args.Add("--allow-lossy");
        }

        args.AddRange(new[] { "--output", output, "--report", report, "--result-json", resultJson, "--progress", "lines", "--no-cache" });
        return args;
    }

    /// <summary>
    /// The settings stamp: every setting that changes the output but is not a file (device, budgets, options,
    /// logical name, tool, and the <paramref name="gates"/> that decide whether a result passes), one "name=value"
    /// line each. The build rewrites the stamp file only when this text changes, so a changed setting re-runs the
    /// model while a no-op build stays a no-op.
    /// </summary>
    public string StampText(string? toolPath, IEnumerable<KeyValuePair<string, string?>>? gates = null)
    {
        var text = new System.Text.StringBuilder();
        void Line(string name, string? value) => text.Append(name).Append('=').Append(value ?? CacheKey.Absent).Append('\n');
        Line("format", "adadeep-settings/1");
        Line("device", DeviceArgument);
        foreach (var setting in ItemSetting.Numbers)
        {
            Line(setting.KeyField, CacheKey.FormatNumber(Value(setting)));
        }

        Line("dataset", DatasetPath);
        if (TestDatasetPath is not null)
        {
            // Only when set, so that the stamps of items without one stay as they were.
            Line("test_dataset", TestDatasetPath);
        }

        Line("seed", Seed?.ToString(CultureInfo.InvariantCulture));
        Line("optimizer", Optimizer);
        Line("logical_name", LogicalName);

        if (AllowLossy)
        {
            Line("allow_lossy", "true");
        }

        // Only when given, so that the stamps of items without them stay as they were.
        if (CacheKey.InputSettings(InputShapes) is { } shapes)
        {
            Line("input_shape", shapes);
        }

        if (CacheKey.InputSettings(Inputs) is { } constants)
        {
            Line("inputs", constants);
        }

        Line("tool", toolPath);
        foreach (var gate in gates ?? Enumerable.Empty<KeyValuePair<string, string?>>())
        {
            Line("gate." + gate.Key, gate.Value);
        }

        return text.ToString();
    }

    /// <summary>The known metadata name closest to <paramref name="name"/> (<see cref="AdaDeep.Devices.Profiles.NearNames"/>), or null.</summary>
    public static string? NearestMetadata(string name) => AdaDeep.Devices.Profiles.NearNames.Find(name, Metadata.All, max: 1).FirstOrDefault();

    private void ReadDevice(string? device, string projectDirectory)
    {
        if (device is null)
        {
            Problem(ProblemMissingDevice, Metadata.Device,
                "no target device: set Device=\"<catalog id>\" (e.g. sony-sw3) or Profile=\"<file>.yaml\" on the AdaDeepModel item, or the AdaDeepDevice property");
            return;
        }

        if (IsProfilePath(device))
        {
            var profile = Path.GetFullPath(Path.Combine(projectDirectory, device));
            DeviceIsProfile = true;
            DeviceArgument = profile;
            DeviceName = Path.GetFileNameWithoutExtension(profile);
            if (!File.Exists(profile))
            {
                Problem(ProblemProfileNotFound, Metadata.Profile, $"the device profile '{device}' does not exist");
            }

            return;
        }

        if (!IsDeviceId(device))
        {
            Problem(ProblemInvalidDevice, Metadata.Device,
                $"'{device}' is neither a catalog device id (letters, digits, '.', '_', '-', e.g. sony-sw3) nor a profile .yaml file");
            return;
        }

        DeviceArgument = device;
        DeviceName = device;
        if (!CatalogDevices.Contains(device))
        {
            var near = AdaDeep.Devices.Profiles.NearNames.Find(device, CatalogDevices.All, max: 3);
            Problem(ProblemUnknownDevice, Metadata.Device,
                $"'{device}' is not a device of the catalog" + (near.Count > 0 ? $"; did you mean {string.Join(", ", near.Select(n => $"'{n}'"))}?" : "")
                + " (`dotnet adadeep devices` lists them; a device of your own goes into a profile .yaml)");
        }
    }

    private static bool IsDeviceId(string device) =>
        device.Length > 0 && device.Length <= 64 && char.IsLetterOrDigit(device[0]) && device[0] < 128
        && device.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '.' || c == '_' || c == '-'));

    private static bool IsSafeLogicalName(string name) =>
        name.Length > 0 && name.Length <= 200 && !name.Contains("..") && name.Trim() == name
        && name.All(c => char.IsLetterOrDigit(c) || c == '.' || c == '_' || c == '-');

    private double? Number(Func<string, string?> text, ItemSetting setting)
    {
        var given = text(setting.Metadata);
        if (given is null)
        {
            return null;
        }

        if (setting.TryParse(given, setting.Metadata, out var value, out var problem))
        {
            return value;
        }

        Problem(ProblemInvalidValue, setting.Metadata, problem!);
        return null;
    }

    private void Problem(string kind, string metadata, string message) => _problems.Add(new ModelItemProblem(kind, metadata, message));
}
