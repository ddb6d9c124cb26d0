using System.ComponentModel;
using System.Diagnostics;
using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Compresses AdaDeepModel items for their device. Per model: validate the metadata (ADB10xx), compute the cache key
/// with the engine's own <see cref="CacheKey"/>, and on a hit copy the cached model to obj/ without starting any
/// process. On a miss take the per-key lock (parallel builds do the work once), run `adadeep compress` out of
/// process (its progress goes to the log at low importance, its `file: error CODE: message` lines become real
/// MSBuild errors and warnings), verify its result, publish it to the cache, then copy it to obj/. The task is the
/// one place that reads and writes the cache for builds: the tool runs with --no-cache. With a remote cache
/// (AdaDeepCacheUrl) a local miss asks the remote under the lock, and a fresh result is uploaded; the remote's
/// problems are warnings (ADA51xx), never errors.
/// </summary>
public sealed class AdaDeepCompress : AdaDeepModelsTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The resolved tool (AdaDeepResolveTool): adadeep.dll (run with the dotnet host), an executable or a script.</summary>
    [Required]
    public string ToolPath { get; set; } = "";

    /// <summary>$(AdaDeepCacheDir); empty: ADADEEP_CACHE_DIR, else the user cache folder.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>$(AdaDeepCacheUrl); empty: ADADEEP_CACHE_URL, else no remote cache.</summary>
    public string? CacheUrl { get; set; }

    /// <summary>$(AdaDeepCacheReadOnly) (true/false); empty: ADADEEP_CACHE_READ_ONLY, else false.</summary>
    public string? CacheReadOnly { get; set; }

    /// <summary>$(AdaDeepCacheTimeoutSeconds), per remote request; empty: ADADEEP_CACHE_TIMEOUT, else 60.</summary>
    public string? CacheTimeoutSeconds { get; set; }

    /// <summary>$(AdaDeepFailOnBudgetMiss): a result that misses its budgets is an error instead of a warning.</summary>
    public bool FailOnBudgetMiss { get; set; }

    /// <summary>How long to wait for another build that compresses the same model (default two hours).</summary>
    public int LockTimeoutSeconds { get; set; } = 7200;

    /// <summary>The compressed models in obj/, each with its LogicalName.</summary>
    [Output]
    public ITaskItem[] CompressedModels { get; private set; } = new ITaskItem[0];

    private readonly List<ToolOutputLine> _liveWarnings = new();

    /// <summary>How many times this task instance started the tool (tests read it).</summary>
    internal int ToolRuns { get; private set; }

    public void Cancel() => _cancellation.Cancel();

    /// <summary>The variable the tool's watchdog reads (AdaDeep.Cli ParentWatchdog).</summary>
    internal const string ParentWatchdogVariable = "ADADEEP_PARENT_PID";

    private static int CurrentProcessId()
    {
        using var self = Process.GetCurrentProcess();
        return self.Id;
    }

    public override bool Execute()
    {
        try
        {
            CompressedModels = Run();
        }
        catch (OperationCanceledException)
        {
            Log.LogMessage(MessageImportance.High, "AdaDeep: cancelled; the tool was stopped");
        }

        return !Log.HasLoggedErrors && !_cancellation.IsCancellationRequested;
    }

    internal ITaskItem[] Run()
    {
        var context = Context(ToolPath);
        var plans = AdaDeepPrepareModels.PlanAll(Models, context, Log);
        if (plans is null)
        {
            return new ITaskItem[0];
        }

        if (string.IsNullOrWhiteSpace(ToolPath) || !File.Exists(Path.Combine(context.ProjectDirectory, ToolPath)))
        {
            Log.LogError(null, BuildErrorCodes.ToolNotFound, null, ToolPath, 0, 0, 0, 0,
                $"the adadeep tool '{ToolPath}' does not exist (set AdaDeepToolPath, or install AdaDeep.Tool in a local tool manifest)");
            return new ITaskItem[0];
        }

        var tool = ToolCommand.For(Path.Combine(context.ProjectDirectory, ToolPath));
        var engineIdentity = CacheKey.EngineIdentity(tool.ToolDirectory);
        var store = OpenStore();
        using var remote = store is null ? null : OpenRemote();
        var cache = store is null ? null : new TieredCache(store, remote, LogCacheWarning);
        var outputs = new List<ITaskItem>();
        foreach (var (_, plan) in plans)
        {
            _cancellation.Token.ThrowIfCancellationRequested();
            if (CompressOne(plan, tool, engineIdentity, cache))
            {
                var output = new TaskItem(plan.OutputFile);
                output.SetMetadata(ModelItemSettings.Metadata.LogicalName, plan.Settings.LogicalName);
                output.SetMetadata(ModelMetadata.DeviceFolder, plan.DeviceFolder);
                output.SetMetadata(ModelMetadata.StampFile, plan.StampFile);
                outputs.Add(output);
            }
        }

        if (remote is not null)
        {
            Log.LogMessage(MessageImportance.Normal, $"AdaDeep: remote cache {remote.DisplayName}{(remote.ReadOnly ? " (read-only)" : "")}: {remote.Statistics}");
        }

        return outputs.ToArray();
    }

    private RemoteCache? OpenRemote()
    {
        try
        {
            var options = RemoteCacheOptions.Resolve(CacheUrl, CacheReadOnly, CacheTimeoutSeconds);
            // A lambda, so that Azure's assemblies load only when an azblob:// store is opened.
            return RemoteCache.Open(options, LogCacheWarning, o => AzureBackend.Create(o));
        }
        catch (FormatException e)
        {
            Log.LogWarning(null, AdaDeep.Onnx.Diagnostics.ErrorCodes.RemoteCacheSettingsInvalid, null, ProjectFile, 0, 0, 0, 0, $"no remote cache is used: {e.Message}");
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            Log.LogWarning(null, AdaDeep.Onnx.Diagnostics.ErrorCodes.RemoteCacheUnavailable, null, ProjectFile, 0, 0, 0, 0,
                $"the Azure Blob backend could not be loaded ({e.GetType().Name}: {e.Message}); models are compressed locally");
            return null;
        }
    }

    private void LogCacheWarning(CacheWarning warning) =>
        Log.LogWarning(null, warning.Code, null, warning.File, 0, 0, 0, 0, warning.Message);

    private CacheStore? OpenStore()
    {
        try
        {
            var store = CacheStore.Open(CacheDirectory);
            if (store.Warning is { } warning)
            {
                Log.LogWarning(null, warning.Code, null, warning.File, 0, 0, 0, 0, warning.Message);
            }

            return store;
        }
        catch (IOException e)
        {
            Log.LogWarning(null, CacheStore.CacheUnavailableCode, null, CacheDirectory, 0, 0, 0, 0, $"no usable cache folder, compressing without a cache: {e.Message}");
            return null;
        }
    }

    private bool CompressOne(ModelPlan plan, ToolCommand tool, string engineIdentity, TieredCache? cache)
    {
        var clock = Stopwatch.StartNew();
        var key = CacheKey.Compute(plan.KeyInputs(engineIdentity));
        Log.LogMessage(MessageImportance.Low, $"AdaDeep: {plan.Settings.ItemSpec} for {plan.DeviceArgument}: cache key {key}");
        var entry = Usable(cache?.Local.TryGet(key));
        var hit = entry is not null;
        var outcome = ResultReporter.Hit;
        WorkFolder? work = null;
        try
        {
            if (!hit)
            {
                using var held = cache?.Local.AcquireLock(key, TimeSpan.FromSeconds(LockTimeoutSeconds), _cancellation.Token, () =>
                    Log.LogMessage(MessageImportance.High, $"AdaDeep: waiting for another build that is compressing {plan.Settings.ItemSpec} for {plan.DeviceFolder}"));
                // Under the lock, so that parallel builds of one key download it once, as they compress it once.
                entry = Usable(cache?.Local.TryGet(key));
                if (entry is null && cache?.Remote is not null)
                {
                    entry = Usable(cache.TryGet(key, _cancellation.Token));
                    outcome = ResultReporter.RemoteHit;
                }

                hit = entry is not null;
                if (!hit)
                {
                    work = WorkFolder.Create(Path.GetDirectoryName(plan.OutputFile)!);
                    var produced = RunTool(plan, tool, work.Path);
                    if (produced is null)
                    {
                        return false;
                    }

                    entry = Usable(Publish(cache, key, produced));
                    if (entry is null)
                    {
                        return Deliver(plan, produced, null, clock);
                    }
                }
            }

            var files = new Dictionary<string, string>
            {
                [CacheStore.ModelFileName] = entry!.ModelPath,
                [CacheStore.ResultJsonFileName] = entry.FilePath(CacheStore.ResultJsonFileName) ?? "",
                [CacheStore.ReportJsonFileName] = entry.FilePath(CacheStore.ReportJsonFileName) ?? "",
                [CacheStore.ReportMarkdownFileName] = entry.FilePath(CacheStore.ReportMarkdownFileName) ?? "",
            };
            return Deliver(plan, files, hit ? outcome : null, clock);
        }
        catch (TimeoutException e)
        {
            plan.LogError(Log, BuildErrorCodes.CacheLockTimeout, e.Message);
            return false;
        }
        finally
        {
            work?.Dispose();
        }
    }

    /// <summary>Runs the tool into <paramref name="workDirectory"/>; returns its files (cache entry names → paths) or
    /// null after logging why it failed.</summary>
    private Dictionary<string, string>? RunTool(ModelPlan plan, ToolCommand tool, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var model = Path.Combine(workDirectory, CacheStore.ModelFileName);
        var result = Path.Combine(workDirectory, CacheStore.ResultJsonFileName);
        // The tool writes its report as <stem>.md and <stem>.json; the task keeps whichever exist.
        var report = Path.Combine(workDirectory, CacheStore.ReportMarkdownFileName);
        var reportJson = Path.Combine(workDirectory, CacheStore.ReportJsonFileName);
        var arguments = plan.ToolArguments(model, result, report);
        Log.LogMessage(MessageImportance.Normal, $"AdaDeep: compressing {plan.Settings.ItemSpec} for {plan.DeviceArgument}: {tool.FileName} {CommandLineArguments.Join(tool.LeadingArguments.Concat(arguments))}");
        // The tool watches this process and exits when it dies (a build killed by SIGKILL cannot kill it itself).
        var environment = new Dictionary<string, string> { [ParentWatchdogVariable] = CurrentProcessId().ToString(System.Globalization.CultureInfo.InvariantCulture) };

        var relayedErrors = 0;
        var lastErrorLines = new Queue<string>();
        _liveWarnings.Clear();
        int exitCode;
        ToolRuns++;
        try
        {
            exitCode = ToolProcess.Run(tool, arguments, ProjectDirectory, environment, line =>
            {
                var parsed = ToolOutputLine.Parse(line.Text);
                switch (parsed.Kind)
                {
                    case ToolOutputKind.Progress:
                        StructuredEvents.LogProgress(BuildEngine, nameof(AdaDeepCompress), plan, parsed.Percent, parsed.Stage, parsed.Text);
                        break;
                    case ToolOutputKind.Error:
                        relayedErrors++;
                        ResultReporter.LogError(plan, Log, parsed.Code, parsed.Text, parsed.File, parsed.Line, parsed.Column);
                        break;
                    case ToolOutputKind.Warning:
                        // Reported from the result document once the run succeeds (as on a hit and an up-to-date build);
                        // kept here for a run that fails, and for a warning the result does not carry.
                        _liveWarnings.Add(parsed);
                        Log.LogMessage(MessageImportance.Low, "adadeep: " + line.Text);
                        break;
                    default:
                        if (line.FromStandardError)
                        {
                            lastErrorLines.Enqueue(parsed.Text);
                            if (lastErrorLines.Count > 5)
                            {
                                lastErrorLines.Dequeue();
                            }
                        }

                        Log.LogMessage(line.FromStandardError ? MessageImportance.Normal : MessageImportance.Low, "adadeep: " + parsed.Text);
                        break;
                }
            }, _cancellation.Token);
        }
        catch (Win32Exception e)
        {
            Log.LogError(null, BuildErrorCodes.ToolCouldNotStart, null, tool.EntryPath, 0, 0, 0, 0, $"the adadeep tool could not be started: {e.Message}");
            return null;
        }

        var produced = CheckToolOutputs(plan, exitCode, relayedErrors, lastErrorLines, model, result, report, reportJson);
        if (produced is null)
        {
            foreach (var warning in _liveWarnings)
            {
                ResultReporter.LogWarning(plan, Log, warning.Code, warning.Text, warning.File, warning.Line, warning.Column);
            }
        }

        return produced;
    }

    private Dictionary<string, string>? CheckToolOutputs(ModelPlan plan, int exitCode, int relayedErrors, Queue<string> lastErrorLines,
        string model, string result, string report, string reportJson)
    {
        if (exitCode != ToolExitCodes.Success)
        {
            if (relayedErrors == 0)
            {
                var tail = lastErrorLines.Count > 0 ? ": " + string.Join(" | ", lastErrorLines) : "";
                plan.LogError(Log, BuildErrorCodes.ToolFailed,
                    $"adadeep compress exited with code {exitCode} ({ToolExitCodes.Describe(exitCode)}){tail}");
            }

            return null;
        }

        if (!File.Exists(model) || !File.Exists(result))
        {
            plan.LogError(Log, BuildErrorCodes.ToolResultInvalid,
                $"adadeep compress succeeded but did not write {(File.Exists(model) ? "the result JSON" : "the compressed model")}");
            return null;
        }

        CompressResult parsedResult;
        try
        {
            parsedResult = CompressResult.FromJson(File.ReadAllText(result));
        }
        catch (FormatException e)
        {
            Log.LogError(null, BuildErrorCodes.ToolResultInvalid, null, result, 0, 0, 0, 0, $"the result JSON of adadeep compress is malformed: {e.Message}");
            return null;
        }

        var actual = CacheKey.HashFile(model);
        if (parsedResult.OutputSha256 is { Length: > 0 } expected && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            Log.LogError(null, BuildErrorCodes.ToolResultInvalid, null, model, 0, 0, 0, 0,
                $"the compressed model's SHA-256 {actual} differs from the result's outputSha256 {expected}");
            return null;
        }

        var files = new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = model,
            [CacheStore.ResultJsonFileName] = result,
        };
        if (File.Exists(report))
        {
            files[CacheStore.ReportMarkdownFileName] = report;
        }

        if (File.Exists(reportJson))
        {
            files[CacheStore.ReportJsonFileName] = reportJson;
        }

        return files;
    }

    /// <summary>An entry without the result document (e.g. written by an older producer) cannot report: a miss.</summary>
    private static CacheEntry? Usable(CacheEntry? entry) =>
        entry?.FilePath(CacheStore.ResultJsonFileName) is not null ? entry : null;

    private CacheEntry? Publish(TieredCache? cache, string key, Dictionary<string, string> files)
    {
        if (cache is null)
        {
            return null;
        }

        try
        {
            return cache.Publish(key, files, _cancellation.Token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogWarning(null, CacheStore.CacheUnavailableCode, null, cache.Local.Root, 0, 0, 0, 0, $"the result could not be stored in the cache: {e.Message}");
            return null;
        }
    }

    /// <summary>Copies model, result and report to obj/, then reports the result (<see cref="ResultReporter"/>);
    /// <paramref name="hitOutcome"/> is the kind of cache hit, null after a fresh compression.</summary>
    private bool Deliver(ModelPlan plan, Dictionary<string, string> files, string? hitOutcome, Stopwatch clock)
    {
        CompressResult result;
        try
        {
            var resultPath = files.TryGetValue(CacheStore.ResultJsonFileName, out var r) ? r : "";
            result = CompressResult.FromJson(File.ReadAllText(resultPath));
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            plan.LogError(Log, BuildErrorCodes.ToolResultInvalid, $"the result JSON is missing or malformed: {e.Message}");
            return false;
        }

        CopyFresh(files[CacheStore.ModelFileName], plan.OutputFile);
        CopyFresh(files.TryGetValue(CacheStore.ResultJsonFileName, out var json) ? json : "", plan.ResultFile);
        CopyFresh(files.TryGetValue(CacheStore.ReportMarkdownFileName, out var md) ? md : "", plan.ReportFile);
        CopyFresh(files.TryGetValue(CacheStore.ReportJsonFileName, out var reportJson) ? reportJson : "", plan.ReportJsonFile);

        if (hitOutcome is null)
        {
            // A warning the tool printed but did not put into its result would be lost on every later build; say it now.
            var stored = new HashSet<string>(result.Warnings.Select(w => AdaDeep.Onnx.Diagnostics.ToolDiagnostic.ParseWarning(w)).Select(w => w.Code + "|" + w.Message));
            foreach (var warning in _liveWarnings.Where(w => !stored.Contains(w.Code + "|" + w.Text)))
            {
                ResultReporter.LogWarning(plan, Log, warning.Code, warning.Text, warning.File, warning.Line, warning.Column);
            }
        }

        if (!ResultReporter.Report(plan, result, hitOutcome ?? ResultReporter.Miss, clock.Elapsed, FailOnBudgetMiss, this))
        {
            // Leave nothing that would make the next build skip the error.
            File.Delete(plan.OutputFile);
            return false;
        }

        return true;
    }

    /// <summary>Copies through a temporary file (readers never see half a model) and stamps the copy with the current
    /// time, so it is newer than the inputs that made the target run.</summary>
    private static void CopyFresh(string source, string destination)
    {
        if (string.IsNullOrEmpty(source) || !File.Exists(source))
        {
            if (File.Exists(destination))
            {
                File.Delete(destination);
            }

            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temp = destination + ".tmp-" + Guid.NewGuid().ToString("N");
        File.Copy(source, temp, overwrite: true);
        File.SetLastWriteTimeUtc(temp, DateTime.UtcNow);
        if (File.Exists(destination))
        {
            File.Replace(temp, destination, null);
        }
        else
        {
            File.Move(temp, destination);
        }

        File.SetLastWriteTimeUtc(destination, DateTime.UtcNow);
    }
}
