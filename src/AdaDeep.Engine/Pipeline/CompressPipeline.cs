using System.Diagnostics;
using System.Globalization;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.Folding;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Strategies;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// One compression run, end to end (DESIGN.md "Data flow"): validate → load → cache look-up → search →
/// fine-tune the best candidate → pack → validate in ONNX Runtime → write model, reports and result →
/// publish to the cache. Nothing is written to the output or the cache unless every step succeeded.
/// </summary>
public sealed class CompressPipeline
{
    private readonly IProgress<PipelineProgress>? _progress;
    private readonly List<string> _warnings = new();

    public CompressPipeline(IProgress<PipelineProgress>? progress = null)
    {
        _progress = progress;
    }

    public CompressResult Run(CompressRequest request, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        var budgets = request.ToSearchBudgets().Validate();
        var file = request.ModelPath ?? DefaultModel.DisplayName;

        Report(1, "load", $"loading {file}");
        var original = request.ModelPath is null ? DefaultModel.Load() : OnnxModel.Load(request.ModelPath);
        var device = DeviceCatalog.WithProfiles(request.ProfilePaths).Resolve(request.Device);
        var prepared = InputData.Prepare(request, original, _warnings);
        var data = prepared.Data;
        var shapes = prepared.Shapes;

        // The search, fine-tuning and cost estimates work on the original at its real input shapes, in float32;
        // the original itself stays the reference of the final validation.
        var working = prepared.Working;
        Report(2, "load", $"input shapes: {shapes.Describe()}{(prepared.Float16 ? "; float16 model, searched in float32" : "")}");

        var cache = request.UseCache ? OpenCache(request.CacheDir) : null;
        var key = EngineCacheKey.For(request, original);
        if (cache?.TryGet(key) is { } hit && CachedResult.TryRestore(hit, request, _warnings) is { } restored)
        {
            Report(100, "cache", "cache hit");
            return restored;
        }

        // The engine's per-key lock makes parallel runs of the same model do the work once: the second waits, then finds
        // the first one's entry. It dies with its process, so a killed run never blocks the next one.
        using var keyLock = cache is null ? null : AcquireKeyLock(cache, key, file, ct);
        if (keyLock is not null && cache!.TryGet(key) is { } published && CachedResult.TryRestore(published, request, _warnings) is { } waited)
        {
            Report(100, "cache", "cache hit (published by a parallel run)");
            return waited;
        }

        ct.ThrowIfCancellationRequested();
        original = FoldConstants(original);
        var (searchData, validation, train) = data.SplitForPipeline(request.EffectiveSeed, request.SearchValidationSamples);

        // The original model's figures: the baseline of the reward and of the report.
        Report(3, "measure", "measuring the original model");
        var originalCosts = Costs(shapes.Pin(original), device, validation);
        var originalAccuracy = AccuracyEvaluator.Evaluate(original, validation, original);
        var searchBudgets = budgets with
        {
            MinAccuracy = Math.Clamp(request.MinAccuracy ?? originalAccuracy.Accuracy - (request.MaxAccuracyDrop ?? CompressRequest.DefaultMaxAccuracyDrop), 0, 1),
        };

        Report(5, "search", $"searching with {request.EffectiveOptimizer} for {device.Id} ({request.EffectiveTimeBudget.TotalSeconds:0} s budget)");
        // Candidates are measured after only a short fine-tune, which recovers less than the final one: the search
        // accepts SearchAccuracySlack below the floor, and the final model is checked against the real floor.
        var searchFloor = budgets with { MinAccuracy = Math.Max(0, searchBudgets.MinAccuracy!.Value - request.SearchAccuracySlack) };
        var env = new CompressionEnvironment(working, device, searchFloor, searchData, working, CompressionEnvironmentOptions.Default with
        {
            // The paper's W3 threshold (|w| < 0.001) removes almost nothing from small trained models (12 of 2,560
            // fc weights of mnist-8), so the search prunes to a target sparsity instead.
            TechniqueOptions = TechniqueOptions.Default with { PruneSparsity = request.PruneSparsity },
            ValidationSamples = request.SearchValidationSamples,
            QuickFineTuneData = train.Take(Math.Min(train.Count, request.SearchFineTuneSamples)),
            Seed = request.EffectiveSeed,
        });
        var strategy = SearchStrategies.Create(request.EffectiveOptimizer);
        var searchOptions = SearchOptions.Default with
        {
            Seed = request.EffectiveSeed,
            TimeBudget = request.EffectiveTimeBudget,
            Episodes = request.Episodes ?? CompressRequest.DefaultEpisodes,
        };
        var search = strategy.Search(env, searchOptions, new SyncProgress<SearchProgress>(p => Report(
            5 + 60 * Math.Min(1, Math.Max((double)p.Episode / Math.Max(1, p.TotalEpisodes), p.Elapsed / request.EffectiveTimeBudget)),
            "search", SearchMessage(p))), ct);

        if (env.QuickFineTunesCut > 0)
        {
            _warnings.Add($"{file}: warning {ErrorCodes.TimeBudgetCut}: the time cap of the candidates' quick fine-tune stopped {env.QuickFineTunesCut} of them early; the search result depends on this machine's speed");
        }

        if (search.StoppedByTimeBudget)
        {
            _warnings.Add($"{file}: warning {ErrorCodes.TimeBudgetCut}: the search time budget ({request.EffectiveTimeBudget.TotalSeconds:0} s) ended the search early; the result depends on this machine's speed (raise --time-budget or lower --episodes for reproducible results)");
        }

        // Strategies check the token between steps; one cancelled after the last check must still stop the run here.
        ct.ThrowIfCancellationRequested();
        var chosen = search.Best;
        var compressed = env.BuildTrainableModel(chosen.Actions);
        var fineTuneSeconds = 0.0;
        if (chosen.Actions.Any(a => TechniqueRegistry.TryGet(a)?.NeedsFineTuning == true))
        {
            Report(66, "fine-tune", "fine-tuning by distillation from the original model");
            var tuned = FineTuning.Run(working, compressed, train, validation, request, ct,
                f => Report(66 + 20 * f, "fine-tune", $"{f:P0}"), _warnings);
            compressed = tuned.Model;
            fineTuneSeconds = tuned.Seconds;
            Report(86, "fine-tune", $"held-out accuracy {tuned.AccuracyBefore:P2} → {tuned.AccuracyAfter:P2} in {tuned.Epochs} epochs, {tuned.Seconds:0.0} s");
        }

        Report(88, "pack", "quantising (if chosen) and packing weights so the file shrinks");
        var packed = ShipInOwnInterface(ShippingForm.Apply(WeightPacker.Pack(env.ApplyDeferred(compressed, chosen.Actions))), original, shapes);

        Report(92, "validate", "validating in ONNX Runtime");
        OrtValidation.Check(original, packed, validation);
        var finalCosts = Costs(shapes.Pin(packed), device, validation);
        var finalAccuracy = AccuracyEvaluator.Evaluate(packed, validation, original);
        var statuses = searchBudgets.Check(new ConfigurationMetrics(finalAccuracy.Accuracy,
            finalCosts.MeasuredLatencyMs ?? finalCosts.LatencyMs, finalCosts.WeightMB, finalCosts.EnergyMJ, finalCosts.Macs));
        var met = statuses.All(s => s.Met);
        if (!met)
        {
            var missed = string.Join("; ", statuses.Where(s => !s.Met).Select(Describe));
            if (request.FailIfBudgetsNotMet)
            {
                throw new AdaDeepException(ErrorCodes.BudgetNotMet,
                    $"no configuration found meets the budgets on {device.Id}: {missed}", request.ModelPath);
            }

            _warnings.Add($"{file}: warning {ErrorCodes.BudgetNotMet}: the closest configuration found misses budgets on {device.Id}: {missed}");
        }

        var packedBytes = packed.ToBytes();
        var result = new CompressResult
        {
            Model = Path.GetFullPath(request.OutputPath),
            OutputSha256 = CacheKey.HashBytes(packedBytes),
            SizeBytes = packedBytes.LongLength,
            OriginalSizeBytes = original.ToBytes().LongLength,
            Macs = finalCosts.Macs,
            OriginalMacs = originalCosts.Macs,
            LatencyMs = finalCosts.MeasuredLatencyMs ?? finalCosts.LatencyMs,
            OriginalLatencyMs = originalCosts.MeasuredLatencyMs ?? originalCosts.LatencyMs,
            EstimatedLatencyMs = finalCosts.LatencyMs,
            MeasuredLatencyMs = finalCosts.MeasuredLatencyMs,
            LatencyBudgetMs = budgets.LatencyMs,
            StorageMB = finalCosts.WeightMB,
            OriginalStorageMB = originalCosts.WeightMB,
            StorageBudgetMB = budgets.StorageMB,
            EnergyMJ = finalCosts.EnergyMJ,
            OriginalEnergyMJ = originalCosts.EnergyMJ,
            EnergyBudgetMJ = budgets.EnergyMJ,
            Accuracy = finalAccuracy.Accuracy,
            OriginalAccuracy = originalAccuracy.Accuracy,
            MinAccuracy = searchBudgets.MinAccuracy,
            AccuracyIsAgreement = finalAccuracy.IsAgreement,
            AccuracySamples = finalAccuracy.Count,
            InputShapes = shapes.Describe(),
            BudgetsMet = met,
            Budgets = statuses.Select(Describe).ToArray(),
            Techniques = TechniqueSummary(chosen.Actions),
            LayerChoices = search.DecisionPoints.Zip(chosen.Actions, (layer, action) => $"{layer}={action}").ToArray(),
            Device = device.Id,
            Optimizer = request.EffectiveOptimizer,
            Seed = request.EffectiveSeed,
            CacheKey = key,
            SearchSeconds = search.Elapsed.TotalSeconds,
            CandidatesSeen = search.Candidates.Count,
            FineTuneSeconds = fineTuneSeconds,
            Warnings = _warnings.ToArray(),
        };

        ct.ThrowIfCancellationRequested();
        Report(97, "write", "writing the model and the report");
        // The search ranked candidates against the floor less the slack; the report states the run's own floor in every
        // section, and the episodes as the progress counted them.
        var searchReport = SearchReport.Create(search, env, file, device.Id) with
        {
            Budgets = searchBudgets,
            BudgetChecks = searchBudgets.Check(search.Best.Metrics),
            SearchAccuracyFloor = searchFloor.MinAccuracy,
            MeasuringEpisodes = (strategy as AdaDeep.Search.Dqn.DqnStrategy)?.MeasuringEpisodes,
        };
        var written = OutputWriter.Write(request, packed, result, search, searchReport);
        try
        {
            cache?.Publish(key, written.CacheFiles);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The output is complete; a cache that cannot take it only costs the next build a recompression.
            Console.Error.WriteLine($"{file}: warning {ErrorCodes.CacheUnavailable}: could not publish to the cache: {e.Message}");
        }
        finally
        {
            OutputWriter.TryDelete(written.StagingDirectory);
        }

        Report(100, "done", $"done in {total.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    /// <summary>Costs on the device; the host profile also measures real latency with ONNX Runtime (on one sample of
    /// <paramref name="data"/> when given, so that every input gets real values at its real shape).</summary>
    public static CostEstimate Costs(OnnxModel model, DeviceProfile device, Dataset? data = null) =>
        LatencyEstimator.Estimate(ModelAnalyzer.Analyze(model), device, model.ToBytes(),
            feeds: data is null ? null : InputData.LatencyFeeds(model, data));

    /// <summary>
    /// The compressed (float32, pinned) model with the original's interface: float16 inputs, outputs and weight
    /// storage for an fp16 model, free input dimensions free again.
    /// </summary>
    public static OnnxModel ShipInOwnInterface(OnnxModel compressed, OnnxModel original, InputShapes shapes)
    {
        var shipped = Float16Graph.ShipAs(compressed, original);
        return shapes.PinsAnything ? InputShapes.Unpin(shipped, original) : shipped;
    }

    /// <summary>"C2+W3": the distinct techniques chosen, in order of first use; "none" when nothing was changed.</summary>
    public static string TechniqueSummary(IReadOnlyList<string> actions)
    {
        var used = actions.Where(a => a != SearchActions.None).Distinct().ToArray();
        return used.Length == 0 ? SearchActions.None : string.Join("+", used);
    }

    /// <summary>
    /// Weights computed from constants (ConstantOfShape, Reshape/Transpose/Cast of initializers…) become initializers,
    /// so the layers reading them can be compressed; the folded model computes the same outputs and is the reference.
    /// </summary>
    private OnnxModel FoldConstants(OnnxModel model)
    {
        var folded = ConstantFolder.Fold(model);
        if (folded.Changed)
        {
            Report(2, "fold", $"folded {folded.FoldedValues} constant-computed values into initializers ({folded.RemovedNodes} nodes removed)");
        }

        return folded.Model;
    }

    private static string Describe(BudgetStatus s) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1:0.####} {2} {3:0.####}{4}", s.Name, s.Value, s.IsUpperBound ? "≤" : "≥", s.Budget,
        s.Met ? " (met)" : $" (missed by {Math.Abs(s.Miss):0.####}, {Math.Abs(s.MissFraction):P1})");

    /// <summary>How long a run waits for a parallel run of the same key before it compresses on its own.</summary>
    public static readonly TimeSpan KeyLockTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The engine's lock file for <paramref name="key"/>: beside the build's (<see cref="CacheStore.LockPath"/>) but not
    /// the same file, because the MSBuild task and `adadeep warm` hold the build's lock for the same key while they run
    /// the engine (the keys are equal by design); taking that one here would wait on the caller until the timeout.
    /// </summary>
    public static string EngineLockPath(CacheStore cache, string key) => Path.ChangeExtension(cache.LockPath(key), ".engine.lock");

    /// <summary>The engine's per-key lock, or null (with an ADA5001 warning) when it cannot be taken: the run then goes
    /// on without it, since the lock only saves work and the atomic publish keeps the cache sound either way.</summary>
    private CacheLock? AcquireKeyLock(CacheStore cache, string key, string file, CancellationToken ct)
    {
        try
        {
            return CacheLock.Acquire(EngineLockPath(cache, key), KeyLockTimeout, ct,
                () => Report(2, "cache", "waiting for a parallel run of the same model to finish"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            _warnings.Add($"{file}: warning {ErrorCodes.CacheUnavailable}: could not take the cache lock, compressing without it: {e.Message}");
            return null;
        }
    }

    private CacheStore? OpenCache(string? root)
    {
        var store = CacheStore.Open(root);
        if (store.Warning is { } warning)
        {
            _warnings.Add(warning.ToString());
        }

        return store;
    }

    private void Report(double percent, string stage, string message) =>
        _progress?.Report(new PipelineProgress(Math.Clamp(percent, 0, 100), stage, message));

    /// <summary>The search stage's progress line: the episode count, or the closing policy rollout by name.</summary>
    internal static string SearchMessage(SearchProgress p) => string.Format(
        CultureInfo.InvariantCulture,
        "{0}, best reward {1:0.###}{2}",
        p.IsFinalPolicy ? "final rollout of the learned policy" : $"episode {p.Episode}/{p.TotalEpisodes}",
        p.BestReward,
        p.BestMeetsBudgets ? " (meets budgets)" : "");
}

/// <summary>IProgress that reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
