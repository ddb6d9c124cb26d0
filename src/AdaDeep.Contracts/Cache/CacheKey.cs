using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

// Part of AdaDeep.Contracts (netstandard2.0), referenced by the engine and by AdaDeep.Build.Tasks (which must not
// reference the engine). Keep it to APIs that netstandard2.0 has, and keep it the ONE definition of the key: the build task and the engine must compute the same key from the same inputs.
namespace AdaDeep.Engine.Cache;

/// <summary>
/// What a compression result depends on. Every field is text already normalised by the helpers of
/// <see cref="CacheKey"/> (hashes, <see cref="CacheKey.FormatNumber"/>); fill it with the values as the user gave
/// them (null when not given), not with engine defaults, so that the build task and the CLI agree.
/// </summary>
public sealed class CacheKeyInputs
{
    /// <summary>Identity of the engine that produces the result: <see cref="CacheKey.EngineIdentity"/> of the tool folder.</summary>
    public string EngineVersion { get; set; } = "";

    /// <summary>SHA-256 (hex) of the input model's bytes.</summary>
    public string ModelSha256 { get; set; } = "";

    /// <summary><see cref="CacheKey.DeviceIdentityForCatalogId"/> or <see cref="CacheKey.DeviceIdentityForProfile"/>.</summary>
    public string DeviceIdentity { get; set; } = "";

    public double? LatencyBudgetMs { get; set; }

    public double? StorageBudgetMB { get; set; }

    public double? EnergyBudgetMJ { get; set; }

    public double? MinAccuracy { get; set; }

    public double? MaxAccuracyDrop { get; set; }

    /// <summary><see cref="CacheKey.DatasetHash"/> of the data set path; null when no data set was given.</summary>
    public string? DatasetHash { get; set; }

    /// <summary><see cref="CacheKey.DatasetHash"/> of the test data set path; null when none was given.</summary>
    public string? TestDatasetHash { get; set; }

    /// <summary>dqn, greedy, exhaustive or random; null when not given (hashed as <see cref="ModelItemSettings.DefaultOptimizer"/>).</summary>
    public string? Optimizer { get; set; }

    public int? Seed { get; set; }

    public double? TimeBudgetSeconds { get; set; }

    /// <summary>User-given reward weights in a canonical text (e.g. "mu1=0.6;mu2=0.4"); null when derived from the device.</summary>
    public string? Weights { get; set; }

    /// <summary>Epochs of the final fine-tune when the user chose them; null: the engine's default (the build never sets them).</summary>
    public int? FineTuneEpochs { get; set; }

    /// <summary>
    /// Any other search setting the user chose that changes the result (e.g. the episodes of the search), in the
    /// canonical text of <see cref="CacheKey.FormatSettings"/>; null when none was chosen (the build never sets them).
    /// Generic on purpose: a setting added or redefined later needs no new key field, only a new name in this text.
    /// </summary>
    public string? SearchSettings { get; set; }
}

/// <summary>
/// The cache key: SHA-256 over length-prefixed (name, value) fields in a fixed order, so no two different inputs can
/// produce the same byte stream. Absent values are "-". Numbers use the invariant culture and fixed decimals.
/// </summary>
public static class CacheKey
{
    /// <summary>Bumped when the set or meaning of the fields changes; it is the first field hashed.</summary>
    /// (3: seed and optimizer hash their effective values, so a build's item defaults and a CLI run that omits them agree;
    /// 4: adds test_dataset; 5: the engine identity covers the numeric runtimes and the platform.)
    public const string FormatVersion = "adadeep-cache-key/5";

    /// <summary>Marks an absent value.</summary>
    public const string Absent = "-";

    /// <summary>Files of the tool folder whose bytes make up the engine identity (the device catalog is embedded in
    /// AdaDeep.Devices.dll; YAML files next to the tool are hashed too in case a catalog ships as a file).</summary>
    private static readonly string[] EngineFilePatterns = { "adadeep.dll", "AdaDeep.*.dll", "*.yaml", "*.yml" };

    /// <summary>The managed wrappers of the numeric runtimes, hashed by bytes (small, and versioned with their natives).</summary>
    private static readonly string[] RuntimeAssemblyPatterns = { "TorchSharp.dll", "Microsoft.ML.OnnxRuntime.dll" };

    /// <summary>The native numeric libraries, counted by name and size (<see cref="EngineIdentity"/>).</summary>
    private static readonly string[] NativeLibraryPatterns =
    {
        "libtorch*", "libc10*", "libLibTorchSharp*", "LibTorchSharp*", "torch*.dll", "c10*.dll",
        "libonnxruntime*", "onnxruntime*.dll", "libgomp*", "libiomp*", "libmkl*", "mkl*.dll",
    };

    public static string Compute(CacheKeyInputs inputs)
    {
        if (inputs is null)
        {
            throw new ArgumentNullException(nameof(inputs));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendField(hash, "format", FormatVersion);
        AppendField(hash, "engine", Required(inputs.EngineVersion, nameof(inputs.EngineVersion)));
        AppendField(hash, "model", Required(inputs.ModelSha256, nameof(inputs.ModelSha256)).ToLowerInvariant());
        AppendField(hash, "device", Required(inputs.DeviceIdentity, nameof(inputs.DeviceIdentity)));
        AppendField(hash, ItemSetting.LatencyBudgetMs.KeyField, FormatNumber(inputs.LatencyBudgetMs));
        AppendField(hash, ItemSetting.StorageBudgetMB.KeyField, FormatNumber(inputs.StorageBudgetMB));
        AppendField(hash, ItemSetting.EnergyBudgetMJ.KeyField, FormatNumber(inputs.EnergyBudgetMJ));
        AppendField(hash, ItemSetting.MinAccuracy.KeyField, FormatNumber(inputs.MinAccuracy));
        AppendField(hash, ItemSetting.MaxAccuracyDrop.KeyField, FormatNumber(inputs.MaxAccuracyDrop));
        AppendField(hash, "dataset", OrAbsent(inputs.DatasetHash));
        AppendField(hash, "test_dataset", OrAbsent(inputs.TestDatasetHash));
        // The defaults are the item's (AdaDeep.Build.props) and the engine's alike: an omitted seed or optimizer and
        // the default one are the same run, whoever started it.
        AppendField(hash, "optimizer", OrAbsent(inputs.Optimizer?.Trim().ToLowerInvariant()) is var optimizer && optimizer != Absent ? optimizer : ModelItemSettings.DefaultOptimizer);
        AppendField(hash, "seed", (inputs.Seed ?? ModelItemSettings.DefaultSeed).ToString(CultureInfo.InvariantCulture));
        AppendField(hash, ItemSetting.TimeBudgetSeconds.KeyField, FormatNumber(inputs.TimeBudgetSeconds));
        AppendField(hash, "weights", OrAbsent(inputs.Weights?.Trim()));
        AppendField(hash, "fine_tune_epochs", inputs.FineTuneEpochs is int epochs ? epochs.ToString(CultureInfo.InvariantCulture) : Absent);
        AppendField(hash, "search_settings", OrAbsent(inputs.SearchSettings));
        return ToHex(hash.GetHashAndReset());
    }

    /// <summary>
    /// The canonical text of named settings for <see cref="CacheKeyInputs.SearchSettings"/>: "name=value" pairs in
    /// ordinal name order joined by ';', settings with a null value left out; null when none is left, so that passing
    /// no setting and passing only unset ones give the same key.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty or holds '=' or ';', a value holds ';', or a name repeats.</exception>
    public static string? FormatSettings(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        var given = settings.Where(s => s.Value is not null).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        foreach (var setting in given)
        {
            if (string.IsNullOrEmpty(setting.Key) || setting.Key.IndexOfAny(new[] { '=', ';' }) >= 0 || setting.Value!.IndexOf(';') >= 0)
            {
                throw new ArgumentException($"the setting '{setting.Key}={setting.Value}' cannot be written unambiguously", nameof(settings));
            }
        }

        if (given.Select(s => s.Key).Distinct(StringComparer.Ordinal).Count() != given.Count)
        {
            throw new ArgumentException("a setting is named twice", nameof(settings));
        }

        return given.Count == 0 ? null : string.Join(";", given.Select(s => s.Key + "=" + s.Value));
    }

    /// <summary>
    /// The canonical text of --input-shape or --input values (item metadata InputShape / Inputs) for
    /// <see cref="CacheKeyInputs.SearchSettings"/>: every NAME=VALUE (';'-separated lists split), spaces removed,
    /// sorted, joined by '|'; a VALUE that names an existing file (resolved against <paramref name="baseDirectory"/>)
    /// is its SHA-256, so that moving the file keeps the key. Null when none is given.
    /// </summary>
    public static string? InputSettings(IEnumerable<string> specs, string? baseDirectory = null)
    {
        if (specs is null)
        {
            throw new ArgumentNullException(nameof(specs));
        }

        var parts = new List<string>();
        foreach (var spec in specs)
        {
            foreach (var part in spec.Split(';'))
            {
                var text = part.Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                var eq = text.IndexOf('=');
                var value = eq < 0 ? "" : text.Substring(eq + 1).Trim();
                var file = value.Length == 0 ? "" : Path.GetFullPath(Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), value));
                parts.Add(value.Length > 0 && File.Exists(file)
                    ? text.Substring(0, eq).Trim() + "=sha256:" + HashFile(file)
                    : text.Replace(" ", ""));
            }
        }

        parts.Sort(StringComparer.Ordinal);
        return parts.Count == 0 ? null : string.Join("|", parts);
    }

    /// <summary>A catalog device: its id plus the hash of the catalog it comes from (null: the catalog is part of the
    /// engine identity, e.g. embedded in the engine's assemblies).</summary>
    public static string DeviceIdentityForCatalogId(string id, string? catalogSha256 = null) =>
        "catalog:" + Required(id, nameof(id)).Trim().ToLowerInvariant() + ":" + OrAbsent(catalogSha256?.ToLowerInvariant());

    /// <summary>A user profile YAML: its bytes, not its path, so moving the file keeps the key.</summary>
    public static string DeviceIdentityForProfile(string profilePath) => "profile:" + HashFile(profilePath);

    /// <summary>
    /// A data set: a file's bytes, or every file of a folder in ordinal order of its relative path ('/' separators),
    /// each contributing its relative path and its SHA-256. Null or empty path: null (absent).
    /// </summary>
    public static string? DatasetHash(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (File.Exists(path))
        {
            return "file:" + HashFile(path!);
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException("data set not found", path);
        }

        var root = Path.GetFullPath(path!);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => new { Full = f, Relative = RelativeTo(root, f) })
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            AppendField(hash, file.Relative, HashFile(file.Full));
        }

        return "folder:" + ToHex(hash.GetHashAndReset());
    }

    /// <summary>
    /// The engine identity: a hash over the bytes of the tool's own assemblies (adadeep.dll, AdaDeep.*.dll), its YAML
    /// files and the managed wrappers of the numeric runtimes (TorchSharp.dll, Microsoft.ML.OnnxRuntime.dll, whose
    /// bytes change with every release), the names and sizes of the runtimes' native libraries (libtorch, ONNX Runtime),
    /// and the platform (OS and architecture: native kernels differ). Any change of engine code, catalog or runtime
    /// version changes it; the engine computes it from AppContext.BaseDirectory, the task from the folder of the tool it
    /// runs. Native libraries count by name and size, not bytes: hashing libtorch (~450 MB) would cost seconds per build,
    /// and a release never ships a library of the same name and size with other code in practice.
    /// </summary>
    public static string EngineIdentity(string toolDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendField(hash, "platform", Platform());
        AppendField(hash, "numerics", PortableNumerics.Identity());
        foreach (var file in HashedEngineFiles(toolDirectory))
        {
            AppendField(hash, Path.GetFileName(file), HashFile(file));
        }

        foreach (var native in NativeEngineFiles(toolDirectory))
        {
            // Opened, not FileInfo: a symbolic link counts with its target's size.
            using var stream = new FileStream(native, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            AppendField(hash, "native:" + RelativeTo(toolDirectory, native), stream.Length.ToString(CultureInfo.InvariantCulture));
        }

        return "engine:" + ToHex(hash.GetHashAndReset());
    }

    /// <summary>Every file the engine identity of <paramref name="toolDirectory"/> depends on (full paths), e.g. to
    /// lay out a tool folder with the same identity.</summary>
    public static IEnumerable<string> EngineIdentityFiles(string toolDirectory) =>
        HashedEngineFiles(toolDirectory).Concat(NativeEngineFiles(toolDirectory));

    /// <summary>The files hashed by bytes, in ordinal name order (top level of the tool folder).</summary>
    private static IEnumerable<string> HashedEngineFiles(string toolDirectory) =>
        !Directory.Exists(toolDirectory)
            ? Enumerable.Empty<string>()
            : EngineFilePatterns.Concat(RuntimeAssemblyPatterns)
                .SelectMany(p => Directory.GetFiles(toolDirectory, p, SearchOption.TopDirectoryOnly))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
                .ToList();

    /// <summary>The native libraries, counted by name and size, in ordinal order of their relative path: in the tool
    /// folder (a RID-specific build) or under runtimes/&lt;rid&gt;/native/ (a portable one).</summary>
    private static IEnumerable<string> NativeEngineFiles(string toolDirectory) =>
        !Directory.Exists(toolDirectory)
            ? Enumerable.Empty<string>()
            : NativeLibraryPatterns
                .SelectMany(p => Directory.GetFiles(toolDirectory, p, SearchOption.AllDirectories))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(f => RelativeTo(toolDirectory, f), StringComparer.Ordinal)
                .ToList();

    /// <summary>"linux-x64", "windows-arm64", ...: the machine's OS and architecture (the task's and the tool's agree).</summary>
    public static string Platform()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "windows"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" : "other";
        return os + "-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
    }

    /// <summary>Invariant culture, nine fixed decimals ("10", "10.0" and "1e1" give the same text); null gives "-".</summary>
    public static string FormatNumber(double? value)
    {
        if (value is not double v)
        {
            return Absent;
        }

        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a budget must be a finite number");
        }

        return v.ToString("F9", CultureInfo.InvariantCulture);
    }

    public static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(stream));
    }

    public static string HashBytes(byte[] bytes)
    {
        using var sha = SHA256.Create();
        return ToHex(sha.ComputeHash(bytes));
    }

    public static string ToHex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>True for a 64-character lowercase hex string, the only form a key takes (keys become folder names).</summary>
    public static bool IsValidKey(string? key) =>
        key is not null && key.Length == 64 && key.All(c => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));

    private static void AppendField(IncrementalHash hash, string name, string value)
    {
        AppendLengthPrefixed(hash, name);
        AppendLengthPrefixed(hash, value);
    }

    private static void AppendLengthPrefixed(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var length = BitConverter.GetBytes(bytes.Length);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(length);
        }

        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static string OrAbsent(string? value) => string.IsNullOrEmpty(value) ? Absent : value!;

    private static string Required(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} is required for a cache key", name) : value;

    private static string RelativeTo(string root, string file)
    {
        var relative = file.Substring(root.Length).TrimStart(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return relative.Replace('\\', '/');
    }
}
