using System.Diagnostics;
using System.Globalization;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.Folding;
using AdaDeep.Compression.Normalization;
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
    private readonly PipelineHooks _hooks;
    private readonly List<string> _warnings = new();

    public CompressPipeline(IProgress<PipelineProgress>? progress = null)
        : this(progress, PipelineHooks.None)
    {
    }

    internal CompressPipeline(IProgress<PipelineProgress>? progress, PipelineHooks hooks)
    {
        _progress = progress;
        _hooks = hooks;
    }

    public CompressResult Run(CompressRequest request, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        var budgets = request.ToSearchBudgets().Validate();
        var file = request.ModelPath ?? DefaultModel.DisplayName;

        Report(1, "load", $"loading {file}");
        var original = request.ModelPath is null ? DefaultModel.Load() : OnnxModel.Load(request.ModelPath);
        // The user's model as given: the report's "before", and what ships when no compressed variant may.
        var asGiven = original;
        var inputFileBytes = request.ModelPath is null ? asGiven.ByteSize : new FileInfo(request.ModelPath).Length;
        var device = DeviceCatalog.WithProfiles(request.ProfilePaths).Resolve(request.Device);
        var prepared = InputData.Prepare(request, original, _warnings);
        var shapes = prepared.Shapes;

        // The search, fine-tuning and cost estimates work on the original at its real input shapes, in float32;
        // the original itself stays the reference of the final validation.
        var working = prepared.Working;
        Report(2, "load", $"input shapes: {shapes.Describe()}{(prepared.Float16 ? "; float16 model, searched in float32" : "")}");
        var realData = InputData.IsReal(prepared.Data);

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
        // The search compresses the working copy; the original (the reference) is folded too so its costs count the
        // same weights.
        var unfolded = working;
        working = FoldConstants(working, report: true);
        working = Normalize(working);
        // The search space follows the storage budget (the cache key keeps the options as the user gave them): decided
        // after the cache lookup, since near 4× it packs an int8 copy of the model, which a cache hit must not pay for.
        var (space, spaceReason) = StorageDrivenSpace.Apply(request, CostModel.Estimate(ModelAnalyzer.Analyze(shapes.Pin(unfolded)), device).WeightMB,
            () => CompressionEnvironment.FileMB(WeightPacker.Pack(WeightQuantizationTechnique.ApplyToAll(working, TechniqueOptions.Default))));
        if (spaceReason is not null)
        {
            Report(2, "load", spaceReason);
        }

        var techniques = LossyPolicy.Techniques(space, realData, file, _warnings);
        // A model nothing applies to is refused before any measurement (ADA4004 names each technique's reason).
        CompressionEnvironment.RequireSomethingToDecide(working, techniques);
        original = FoldConstants(original, report: false);
        var data = InputData.Split(request, original, prepared, _warnings);
        var (searchData, validation, train, test) = (data.Search, data.Validation, data.FineTune, data.Test);
        _hooks.Observe(PipelineHooks.SearchConsumer, searchData);

        // The original model's figures: the baseline of the reward and of the report.
        Report(3, "measure", "measuring the original model");
        var measuringOriginal = Stopwatch.StartNew();
        var originalCosts = Costs(shapes.Pin(original), device, validation);
        var originalAccuracy = AccuracyEvaluator.Evaluate(original, validation, original);
        var originalTestAccuracy = AccuracyEvaluator.Evaluate(original, test, original);
        measuringOriginal.Stop();
        var searchBudgets = budgets with
        {
            MinAccuracy = Math.Clamp(request.MinAccuracy ?? originalAccuracy.Accuracy - (request.MaxAccuracyDrop ?? CompressRequest.DefaultMaxAccuracyDrop), 0, 1),
        };

        var scale = SearchWorkScale.For(request, originalCosts.Macs);
        var quickFineTuneData = train.Take(Math.Min(train.Count, scale.FineTuneSamples));
        _hooks.Observe(PipelineHooks.SearchConsumer, quickFineTuneData);
        if (scale.Scaled)
        {
            Report(4, "search", $"large model: each candidate measured on {scale.ValidationSamples} samples, quick fine-tunes on {scale.FineTuneSamples}");
        }

        Report(5, "search", $"searching with {request.EffectiveOptimizer} for {device.Id} ({request.EffectiveTimeBudget.TotalSeconds:0} s budget)");
        // Candidates are measured after only a short fine-tune, which recovers less than the final one: the search
        // accepts SearchAccuracySlack below the floor, and the final model is checked against the real floor.
        var searchFloor = budgets with { MinAccuracy = Math.Max(0, searchBudgets.MinAccuracy!.Value - request.SearchAccuracySlack) };
        var env = new CompressionEnvironment(working, device, searchFloor, searchData, working, CompressionEnvironmentOptions.Default with
        {
            // The paper's W3 threshold (|w| < 0.001) removes almost nothing from small trained models (12 of 2,560
            // fc weights of mnist-8), so the search prunes to a target sparsity instead.
            TechniqueOptions = TechniqueOptions.Default with { PruneSparsity = request.PruneSparsity },
            Techniques = techniques,
            WeightSharing = space.WeightSharing,
            QuantizeRemaining = QuantizesRemaining(space, techniques, inputFileBytes),
            // Each cached candidate is a full model: bound their memory (a ResNet-18 is 46 MB).
            ModelCacheSize = Math.Clamp((int)(CandidateCacheBytes / Math.Max(1, inputFileBytes)), 4, CompressionEnvironmentOptions.Default.ModelCacheSize),
            ValidationSamples = scale.ValidationSamples,
            // Paired with the original and anchored to its held-out accuracy; candidates close to the floor get more of
            // the validation split, past the samples every candidate is measured on.
            ReferenceAccuracy = originalAccuracy.Accuracy,
            ExtraValidation = ExtraValidation(validation, searchData.Count, scale.ValidationSamples),
            QuickFineTuneData = quickFineTuneData,
            Seed = request.EffectiveSeed,
        });
        // Building the environment measured the original once more; what the budget leaves goes to the search.
        var searchCap = SearchStageCap.For(request.EffectiveTimeBudget, total.Elapsed, measuringOriginal.Elapsed);
        var strategy = SearchStrategies.Create(request.EffectiveOptimizer);
        var searchOptions = SearchOptions.Default with
        {
            Seed = request.EffectiveSeed,
            TimeBudget = searchCap,
            Episodes = request.Episodes ?? CompressRequest.DefaultEpisodes,
            MaxMeasurements = request.MaxMeasurements,
        };
        var search = strategy.Search(env, searchOptions, new SyncProgress<SearchProgress>(p => Report(
            5 + 60 * Math.Min(1, Math.Max((double)p.Episode / Math.Max(1, p.TotalEpisodes), p.Elapsed / searchCap)),
            "search", SearchMessage(p))), ct);

        var estimator = env.AccuracyEstimator;
        Report(65, "search", string.Format(CultureInfo.InvariantCulture,
            "{0} configurations measured; {1} paired with the original on {2} samples{3}", env.DistinctEvaluations, env.AccuracyMetric, estimator.FirstBlockSamples,
            estimator.Extended > 0 ? $", {estimator.Extended} close to the floor on up to {estimator.MaxSamples}" : ""));
        if (env.QuickFineTunesCut > 0)
        {
            _warnings.Add($"{file}: warning {ErrorCodes.TimeBudgetCut}: the time cap of the candidates' quick fine-tune stopped {env.QuickFineTunesCut} of them early; the search result depends on this machine's speed");
        }

        if (search.StoppedByTimeBudget)
        {
            _warnings.Add($"{file}: warning {ErrorCodes.TimeBudgetCut}: the search time budget ({request.EffectiveTimeBudget.TotalSeconds:0} s) ended the search early; the result depends on this machine's speed (raise --time-budget or lower --episodes for reproducible results)");
        }

        // Only dqn and random run a set number of episodes; greedy and exhaustive walk the layers instead.
        // The DQN's greedy warm start counts one episode per decision point swept, as its progress line does.
        var episodesRun = (strategy as AdaDeep.Search.Dqn.DqnStrategy)?.MeasuringEpisodes ?? search.EpisodeRewards.Count;
        if (request.EffectiveOptimizer is "dqn" or "random" or GreedyExplorationStrategy.StrategyId && SearchWorkScale.CheckCoverage(request, episodesRun, searchOptions.Episodes, search.StoppedByTimeBudget, file) is { } shortSearch)
        {
            _warnings.Add(shortSearch);
        }

        // Strategies check the token between steps; one cancelled after the last check must still stop the run here.
        ct.ThrowIfCancellationRequested();
        var chosen = search.Best;
        var compressed = env.BuildTrainableModel(chosen.Actions);
        var fineTuneSeconds = 0.0;
        var fineTuned = false;
        if (chosen.Actions.Any(a => TechniqueRegistry.TryGet(a)?.NeedsFineTuning == true))
        {
            Report(66, "fine-tune", train.Labels is not null && request.DistillationWeight == 0
                ? "retraining on the labels (distillation weight 0)"
                : "fine-tuning by distillation from the original model");
            _hooks.Observe(PipelineHooks.FineTuneConsumer, train);
            _hooks.Observe(PipelineHooks.FineTuneConsumer, validation);
            var tuned = FineTuning.Run(working, compressed, train, validation, request, ct,
                f => Report(66 + 20 * f, "fine-tune", $"{f:P0}"), _warnings);
            compressed = tuned.Model;
            fineTuneSeconds = tuned.Seconds;
            fineTuned = tuned.Ran;
            Report(86, "fine-tune", $"held-out accuracy {tuned.AccuracyBefore:P2} → {tuned.AccuracyAfter:P2} in {tuned.Epochs} epochs, {tuned.Seconds:0.0} s");
        }

        Report(88, "validate", "packing weights and comparing the result with the original in ONNX Runtime (validation gate)");
        var userFloor = prepared.Data.HasLabels || request.MinAccuracy is not null || request.MaxAccuracyDrop is not null;
        var allowedDrop = originalAccuracy.Accuracy - searchBudgets.MinAccuracy!.Value;
        var gate = new ValidationGate(original, validation, realData,
            ValidationGate.AgreementFloor(request.MinAgreement, allowedDrop, userFloor),
            allowedDrop: userFloor && request.MinAgreement is null ? allowedDrop : null);
        OnnxModel Finish(OnnxModel model) => ShipInOwnInterface(model, original, shapes);
        var shipped = GatedShipping.Choose(gate, env, chosen.Actions, compressed, fineTuned, file, _warnings, ct, Finish);
        if (!shipped.Actions.SequenceEqual(chosen.Actions) && RunnerUp(search, chosen, shipped.Actions) is { } runnerUp)
        {
            // The choice failed the gate: the search's best candidate that measured more accurate gets the same fine-tune
            // before the safer fallback ships (a gentler pruning level often keeps what the chosen one lost).
            var runnerUpSummary = TechniqueSummary(runnerUp.Actions);
            Report(87, "fine-tune", $"the search's choice failed the validation gate; fine-tuning the runner-up {runnerUpSummary}");
            var runnerUpModel = env.BuildTrainableModel(runnerUp.Actions);
            if (runnerUp.Actions.Any(a => TechniqueRegistry.TryGet(a)?.NeedsFineTuning == true))
            {
                var tuned = FineTuning.Run(working, runnerUpModel, train, validation, request, ct, f => Report(87, "fine-tune", $"runner-up {f:P0}"), _warnings);
                runnerUpModel = tuned.Model;
                fineTuneSeconds += tuned.Seconds;
            }

            var packedRunnerUp = GatedShipping.Pack(env.ApplyDeferred(runnerUpModel, runnerUp.Actions), Finish);
            var runnerUpCheck = gate.Check(packedRunnerUp);
            if (runnerUpCheck.Passed)
            {
                _warnings.Add($"{file}: warning {ErrorCodes.ValidationFallback}: shipping the search's runner-up {runnerUpSummary} instead ({runnerUpCheck.Headline})");
                shipped = new GatedShipping.Shipped(packedRunnerUp, runnerUp.Actions, runnerUpCheck);
            }
        }

        // The speed gate judges what passed the validation gate: a model slower than the original on host does not ship.
        Report(92, "speed", "measuring ONNX Runtime latency on this host: original against compressed");
        // What the gates below may replace: this model carries the run's shared weights (when set), a fallback does not.
        var withSharedWeights = env.Options.WeightSharing is null ? null : shipped.Model;
        var meter = new RealShapeLatencyMeter(_hooks.LatencyMeter ?? OrtHostLatencyMeter.Instance, shapes);
        var (hostOriginalMs, hostMs) = SpeedGate.Measure(meter, original, shipped.Model);
        var speedGate = device.MeasuresLatency ? SpeedGate.Passed : SpeedGate.NotChecked;
        if (device.MeasuresLatency && SpeedGate.IsSlower(hostOriginalMs, hostMs))
        {
            // Without its deferred (quantising) techniques: the fine-tuned float model when the gate kept the search's
            // choice, else the gate's safer configuration rebuilt; it must pass the validation gate as well.
            OnnxModel? withoutDeferred = null;
            OnnxModel? withoutActivationQuantization = null;
            if (shipped.Actions.Any(CompressionEnvironment.IsDeferred))
            {
                var floatActions = shipped.Actions.Select(a => CompressionEnvironment.IsDeferred(a) ? SearchActions.None : a).ToArray();
                var floatModel = shipped.Actions.SequenceEqual(chosen.Actions) ? compressed : env.BuildTrainableModel(floatActions);
                withoutDeferred = GatedShipping.Pack(floatModel, Finish);
                withoutDeferred = gate.Check(withoutDeferred).Passed ? withoutDeferred : null;

                // Tried first: without activation quantisation only (Q8's QuantizeLinear/DequantizeLinear pairs cost ORT
                // time; int8 weights decoded by Cast·scale are folded into the same float kernels at session creation,
                // so they keep the storage gain for free).
                if (shipped.Actions.Contains(ActivationQuantization))
                {
                    var weightActions = shipped.Actions.Select(a => a == ActivationQuantization ? SearchActions.None : a).ToArray();
                    withoutActivationQuantization = GatedShipping.Pack(env.ApplyDeferred(floatModel, weightActions), Finish);
                    withoutActivationQuantization = gate.Check(withoutActivationQuantization).Passed ? withoutActivationQuantization : null;
                }
            }

            IReadOnlyList<string> actions;
            OnnxModel speedModel;
            (speedModel, actions, speedGate, hostOriginalMs, hostMs) = SpeedFallback(original, asGiven, withoutActivationQuantization, withoutDeferred, shipped.Actions, meter, hostOriginalMs, hostMs, file);
            shipped = new GatedShipping.Shipped(speedModel, actions, gate.Check(speedModel));
        }

        // A model never ships larger than the file it came from: decoders, casts and folded constants can outweigh what
        // a technique saved on a small or constant-generated model.
        if (!ReferenceEquals(shipped.Model, asGiven) && shipped.Model.ByteSize is var shippedBytes && shippedBytes > inputFileBytes)
        {
            _warnings.Add(string.Format(CultureInfo.InvariantCulture,
                "{0}: warning {1}: the compressed model ({2:N0} bytes, {3}) is larger than the input file ({4:N0} bytes); shipped the original model unchanged",
                file, ErrorCodes.SizeGateShippedOriginal, shippedBytes, TechniqueSummary(shipped.Actions), inputFileBytes));
            shipped = new GatedShipping.Shipped(asGiven, shipped.Actions.Select(_ => SearchActions.None).ToArray(), gate.Check(asGiven));
            hostMs = hostOriginalMs;
        }

        var packed = shipped.Model;
        if (!shipped.Validation.Meaningful)
        {
            _warnings.Add($"{file}: warning {ErrorCodes.ValidationMeaningless}: {shipped.Validation.Headline}; pass --dataset with real inputs");
        }

        var finalCosts = Costs(shapes.Pin(packed), device, validation);
        var finalAccuracy = AccuracyEvaluator.Evaluate(packed, validation, original);
        var finalTestAccuracy = AccuracyEvaluator.Evaluate(packed, test, original);
        var packedBytes = packed.ToBytes();

        // The storage budget is judged on the file that ships (S_p leaves out the graph and the packing's decoders).
        var fileMB = packedBytes.LongLength / 1024.0 / 1024.0;
        var statuses = searchBudgets.Check(new ConfigurationMetrics(finalAccuracy.Accuracy,
            finalCosts.MeasuredLatencyMs ?? finalCosts.LatencyMs, fileMB, finalCosts.EnergyMJ, finalCosts.Macs));
        var met = statuses.All(s => s.Met);
        if (!met)
        {
            var missed = string.Join("; ", statuses.Where(s => !s.Met).Select(s => Describe(s, finalCosts.WeightMB)));
            if (request.FailIfBudgetsNotMet)
            {
                throw new AdaDeepException(ErrorCodes.BudgetNotMet,
                    $"no configuration found meets the budgets on {device.Id}: {missed}", request.ModelPath);
            }

            _warnings.Add($"{file}: warning {ErrorCodes.BudgetNotMet}: the closest configuration found misses budgets on {device.Id}: {missed}");
        }

        var headline = AccuracyHeadline.From(finalTestAccuracy.IsAgreement, originalTestAccuracy.Accuracy, finalTestAccuracy.Accuracy, shipped.Validation);
        var result = new CompressResult
        {
            Model = Path.GetFullPath(request.OutputPath),
            OutputSha256 = CacheKey.HashBytes(packedBytes),
            SizeBytes = packedBytes.LongLength,
            OriginalSizeBytes = inputFileBytes,
            Macs = finalCosts.Macs,
            OriginalMacs = originalCosts.Macs,
            LatencyMs = finalCosts.MeasuredLatencyMs ?? finalCosts.LatencyMs,
            OriginalLatencyMs = originalCosts.MeasuredLatencyMs ?? originalCosts.LatencyMs,
            EstimatedLatencyMs = finalCosts.LatencyMs,
            MeasuredLatencyMs = finalCosts.MeasuredLatencyMs,
            LatencyBudgetMs = budgets.LatencyMs,
            StorageMB = finalCosts.WeightMB,
            FileStorageMB = fileMB,
            OriginalStorageMB = originalCosts.WeightMB,
            StorageBudgetMB = budgets.StorageMB,
            EnergyMJ = finalCosts.EnergyMJ,
            OriginalEnergyMJ = originalCosts.EnergyMJ,
            EnergyBudgetMJ = budgets.EnergyMJ,
            Accuracy = finalTestAccuracy.Accuracy,
            OriginalAccuracy = originalTestAccuracy.Accuracy,
            AccuracySplit = DataSplit.Names.Test,
            ValidationAccuracy = finalAccuracy.Accuracy,
            OriginalValidationAccuracy = originalAccuracy.Accuracy,
            Splits = data.Splits,
            MinAccuracy = searchBudgets.MinAccuracy,
            AccuracyIsAgreement = finalTestAccuracy.IsAgreement,
            AccuracySamples = finalTestAccuracy.Count,
            AccuracyMeasure = headline.Measure,
            AccuracyHeadline = headline.Text,
            InputShapes = shapes.Describe(),
            BudgetsMet = met,
            ValidationHeadline = shipped.Validation.Headline,
            ValidationMeaningful = shipped.Validation.Meaningful,
            ValidationRealData = shipped.Validation.RealData,
            ValidationSamples = shipped.Validation.Samples,
            ValidationOutputs = shipped.Validation.Outputs.Select(o => o.Describe()).ToArray(),
            Budgets = statuses.Select(s => Describe(s, finalCosts.WeightMB)).ToArray(),
            Techniques = TechniqueSummary(shipped.Actions, env.Options.QuantizeRemaining && packed.Graph.Initializer.Any(t => t.DataType == TensorData.Int8),
                ReferenceEquals(packed, withSharedWeights)),
            LayerChoices = search.DecisionPoints.Zip(shipped.Actions, (layer, action) => $"{layer}={action}").ToArray(),
            HostOrtLatencyMs = hostMs,
            OriginalHostOrtLatencyMs = hostOriginalMs,
            SpeedGate = speedGate,
            Device = device.Id,
            Optimizer = request.EffectiveOptimizer,
            Seed = request.EffectiveSeed,
            CacheKey = key,
            SearchSeconds = search.Elapsed.TotalSeconds,
            CandidatesSeen = search.Candidates.Count,
            MeasuredConfigurations = env.DistinctEvaluations,
            SearchAccuracySamples = env.AccuracyEstimator.FirstBlockSamples,
            SearchCloseCalls = env.AccuracyEstimator.Extended,
            SearchMaxAccuracySamples = env.AccuracyEstimator.MaxSamples,
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
            ShippedBudgetChecks = statuses,
            SearchAccuracyFloor = searchFloor.MinAccuracy,
            MeasuringEpisodes = (strategy as AdaDeep.Search.Dqn.DqnStrategy)?.MeasuringEpisodes,
            WarmStartSweeps = (strategy as AdaDeep.Search.Dqn.DqnStrategy)?.WarmStartSweeps,
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

    /// <summary>Static int8 activations (QuantizeLinear/DequantizeLinear around each layer): what costs ORT time.</summary>
    private const string ActivationQuantization = "Q8";

    /// <summary>
    /// The speed gate refused the candidate (slower than the original in ONNX Runtime here): the model without its
    /// activation quantisation (Q8) when that is not slower, else without every deferred technique (quantisation),
    /// else the original model as given.
    /// </summary>
    private (OnnxModel Model, IReadOnlyList<string> Actions, string Gate, double OriginalMs, double Ms) SpeedFallback(
        OnnxModel original, OnnxModel asGiven, OnnxModel? withoutActivationQuantization, OnnxModel? withoutDeferred, IReadOnlyList<string> actions,
        ILatencyMeter meter, double originalMs, double slowMs, string file)
    {
        var refused = SpeedGate.Describe(originalMs, slowMs);
        if (withoutActivationQuantization is not null)
        {
            var (o, v) = SpeedGate.Measure(meter, original, withoutActivationQuantization);
            if (!SpeedGate.IsSlower(o, v))
            {
                _warnings.Add($"{file}: warning {ErrorCodes.SpeedGateDroppedTechniques}: the chosen model ran slower than the original in ONNX Runtime on this host ({refused}); shipped it without {ActivationQuantization} ({SpeedGate.Describe(o, v)})");
                return (withoutActivationQuantization, actions.Select(a => a == ActivationQuantization ? SearchActions.None : a).ToArray(), SpeedGate.DroppedDeferred, o, v);
            }
        }

        var deferred = actions.Where(CompressionEnvironment.IsDeferred).Distinct().ToArray();
        if (deferred.Length > 0 && withoutDeferred is not null)
        {
            var without = actions.Select(a => CompressionEnvironment.IsDeferred(a) ? SearchActions.None : a).ToArray();
            var variant = withoutDeferred;
            var (o, v) = SpeedGate.Measure(meter, original, variant);
            if (!SpeedGate.IsSlower(o, v))
            {
                _warnings.Add($"{file}: warning {ErrorCodes.SpeedGateDroppedTechniques}: the chosen model ran slower than the original in ONNX Runtime on this host ({refused}); shipped it without {string.Join("+", deferred)} ({SpeedGate.Describe(o, v)})");
                return (variant, without, SpeedGate.DroppedDeferred, o, v);
            }
        }

        _warnings.Add($"{file}: warning {ErrorCodes.SpeedGateShippedOriginal}: every compressed variant ran slower than the original in ONNX Runtime on this host ({refused}); shipped the original model unchanged");
        return (asGiven, actions.Select(_ => SearchActions.None).ToArray(), SpeedGate.ShippedOriginal, originalMs, originalMs);
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
    /// The summary of what ships: the search's techniques, Q8W when int8 weights were given to the rest, and "shared"
    /// when k-means shared weights were (a ResNet-18 shipped 4× smaller must not read "none").
    /// </summary>
    public static string TechniqueSummary(IReadOnlyList<string> actions, bool quantizedRemaining, bool sharedWeights = false)
    {
        var parts = actions.Where(a => a != SearchActions.None).Distinct().ToList();
        if (quantizedRemaining && !parts.Contains("Q8W"))
        {
            parts.Add("Q8W");
        }

        if (sharedWeights)
        {
            parts.Add(SharedWeightsLabel);
        }

        return parts.Count == 0 ? SearchActions.None : string.Join("+", parts);
    }

    /// <summary>The summary's token for k-means shared weights (Deep Compression's stage, not a search action).</summary>
    public const string SharedWeightsLabel = "shared";

    /// <summary>
    /// Weights computed from constants (ConstantOfShape, Reshape/Transpose/Cast of initializers…) become initializers,
    /// so the layers reading them can be compressed; the folded model computes the same outputs and is the reference.
    /// </summary>
    private OnnxModel FoldConstants(OnnxModel model, bool report)
    {
        var folded = ConstantFolder.Fold(model);
        if (folded.Changed && report)
        {
            Report(2, "fold", $"folded {folded.FoldedValues} constant-computed values into initializers ({folded.RemovedNodes} nodes removed)");
        }

        return folded.Model;
    }

    /// <summary>
    /// The candidate to try when the search's choice failed the validation gate and a safer one was about to ship: the
    /// highest-reward candidate that meets the budgets, measured more accurate than the choice, and differs from both.
    /// </summary>
    internal static SearchCandidate? RunnerUp(SearchResult search, SearchCandidate chosen, IReadOnlyList<string> fallback)
    {
        var points = search.DecisionPoints.Count;
        string[] Full(IReadOnlyList<string> actions) => actions.Concat(Enumerable.Repeat(SearchActions.None, Math.Max(0, points - actions.Count))).Take(points).ToArray();
        var chosenFull = Full(chosen.Actions);
        var fallbackFull = Full(fallback);
        return search.Candidates
            .Where(c => c.MeetsBudgets && c.Metrics.Accuracy > chosen.Metrics.Accuracy)
            .Where(c => Full(c.Actions) is var full && !full.SequenceEqual(chosenFull) && !full.SequenceEqual(fallbackFull))
            .Where(c => c.Actions.Any(GatedShipping.IsLossy))
            .OrderByDescending(c => c.Reward)
            .FirstOrDefault();
    }

    /// <summary>Memory the search's cache of rewritten candidates may hold.</summary>
    public const long CandidateCacheBytes = 512L << 20;

    /// <summary>
    /// int8 weights on every layer the search leaves in float, when a storage budget binds (the input file is over it)
    /// and Q8W is allowed: int8 costs almost no accuracy, so the search should spend its choices on structure. With
    /// shared weights it gives int8 to the recurrent layers, which codebooks do not cover.
    /// </summary>
    internal static bool QuantizesRemaining(CompressRequest space, IReadOnlyList<string>? techniques, long inputFileBytes) =>
        space.StorageBudgetMB is { } budget && inputFileBytes / 1024.0 / 1024.0 > budget &&
        (techniques is null || techniques.Contains("Q8W", StringComparer.OrdinalIgnoreCase));

    /// <summary>Inference Dropouts removed and an old opset converted, so that the techniques apply (the original, the
    /// reference, stays as given).</summary>
    private OnnxModel Normalize(OnnxModel model)
    {
        var normalized = GraphNormalizer.Normalize(model);
        if (normalized.Describe() is { } done)
        {
            Report(2, "normalize", done);
        }

        if (normalized.OpsetKeptReason is { } kept)
        {
            Report(2, "normalize", $"opset {normalized.FromOpset} kept: {kept}");
        }

        return normalized.Model;
    }

    /// <summary>"storageMB 0.0123 ≤ 0.02 (met)"; the storage line names the file and S_p, since the file is what is judged,
    /// and the accuracy budget names its split (validation: the test split only reports).</summary>
    /// <summary>The validation samples after the search's, as many as the sequential blocks can spend (copying the whole
    /// split would hold thousands of images for nothing).</summary>
    private static Dataset? ExtraValidation(Dataset validation, int searchCount, int blockSize)
    {
        var count = Math.Min(validation.Count - searchCount, (CompressionEnvironmentOptions.Default.SequentialBlocks - 1) * blockSize);
        return count > 0 ? validation.Subset(Enumerable.Range(searchCount, count).ToArray()) : null;
    }

    private static string Describe(BudgetStatus s, double weightsMB) => string.Format(CultureInfo.InvariantCulture,
        "{0} {1:0.####} {2} {3:0.####}{4}{5}", s.Name == "accuracy" ? "accuracy (validation split)" : s.Name, s.Value, s.IsUpperBound ? "≤" : "≥", s.Budget,
        s.Name == "storageMB" ? string.Format(CultureInfo.InvariantCulture, " (file that ships; weights S_p {0:0.####})", weightsMB) : "",
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
