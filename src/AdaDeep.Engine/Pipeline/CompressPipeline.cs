using System.Diagnostics;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environment;
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
        var budgets = request.ToSearchBudgets();
        budgets.Validate();
        CheckOutputPaths(request);

        Report(1, "load", "loading the model");
        var modelPath = request.ModelPath;
        var original = modelPath is null ? DefaultModel.Load() : OnnxModel.Load(modelPath);
        var device = DeviceCatalog.WithProfiles(request.ProfilePaths).Resolve(request.Device);
        var data = InputData.Load(request, original, _warnings);

        var cache = request.UseCache ? CacheStore.Open(request.CacheDir, w => _warnings.Add(w.ToString())) : null;
        var key = EngineCacheKey.For(request, original);
        if (cache?.TryGet(key) is { } hit)
        {
            Report(100, "cache", "cache hit");
            return PublishHit(request, hit, key);
        }

        ct.ThrowIfCancellationRequested();
        var (searchData, validation, train) = data.SplitForPipeline(request.Seed, request.SearchValidationSamples);

        // The original model's figures: the baseline of the reward and of the report.
        Report(3, "measure", "measuring the original model");
        var originalCosts = Costs(original, device);
        var originalAccuracy = AccuracyEvaluator.Evaluate(original, validation, original);

        var minAccuracy = request.MinAccuracy ?? originalAccuracy.Accuracy - (request.MaxAccuracyDrop ?? 0.02);
        var searchBudgets = budgets with { MinAccuracy = Math.Clamp(minAccuracy, 0, 1) };

        Report(5, "search", $"searching with {request.Optimizer} for {device.Id}");
        var env = new CompressionEnvironment(original, device, searchBudgets, searchData, request.Seed);
        var strategy = SearchStrategies.Create(request.Optimizer);
        var searchOptions = SearchOptions.Default with { Seed = request.Seed, TimeBudget = request.TimeBudget };
        var searchProgress = new Progress<SearchProgress>(p => Report(5 + 60 * p.Fraction, "search", p.ToString()));
        var search = strategy.Search(env, searchOptions, searchProgress, ct);

        var chosen = search.Best;
        var compressed = env.Materialize(chosen.Actions);
        var needsFineTune = chosen.Actions.Any(a => TechniqueRegistry.TryGet(a)?.NeedsFineTuning == true);

        var fineTuneSeconds = 0.0;
        if (needsFineTune && train.Count > 0)
        {
            Report(66, "fine-tune", "fine-tuning by distillation from the original model");
            var tuned = Distiller.FineTune(original, compressed, train, validation,
                FineTuneOptions.Default with { Seed = request.Seed, TimeBudget = request.FineTuneBudget },
                new Progress<FineTuneProgress>(p => Report(66 + 20 * p.Fraction, "fine-tune", p.ToString())), ct);
            compressed = tuned.Model;
            fineTuneSeconds = tuned.Elapsed.TotalSeconds;
        }

        Report(88, "pack", "packing weights so the file shrinks");
        var packed = Packing.PackIfFaithful(compressed, validation, _warnings);

        Report(92, "validate", "validating in ONNX Runtime");
        OrtValidation.Check(original, packed, validation);
        var finalCosts = Costs(packed, device);
        var finalAccuracy = AccuracyEvaluator.Evaluate(packed, validation, original);
        var finalMetrics = Metrics(finalAccuracy, finalCosts);
        var statuses = searchBudgets.Check(finalMetrics);
        var met = statuses.All(s => s.Met);
        if (!met)
        {
            var missed = string.Join("; ", statuses.Where(s => !s.Met).Select(s => s.ToString()));
            if (request.FailIfBudgetsNotMet)
            {
                throw new AdaDeepException(ErrorCodes.BudgetNotMet,
                    $"no configuration found meets the budgets on {device.Id}: {missed}", modelPath);
            }

            _warnings.Add($"{modelPath ?? "model"}: warning {ErrorCodes.BudgetNotMet}: the closest configuration found misses budgets on {device.Id}: {missed}");
        }

        var result = new CompressResult
        {
            Model = Path.GetFullPath(request.OutputPath),
            OutputSha256 = packed.Sha256(),
            SizeBytes = packed.ToBytes().LongLength,
            OriginalSizeBytes = original.ToBytes().LongLength,
            Macs = finalCosts.Macs,
            OriginalMacs = originalCosts.Macs,
            LatencyMs = finalCosts.MeasuredLatencyMs ?? finalCosts.LatencyMs,
            OriginalLatencyMs = originalCosts.MeasuredLatencyMs ?? originalCosts.LatencyMs,
            MeasuredLatencyMs = finalCosts.MeasuredLatencyMs,
            LatencyBudgetMs = budgets.LatencyMs,
            StorageMB = finalCosts.WeightMB,
            StorageBudgetMB = budgets.StorageMB,
            EnergyMJ = finalCosts.EnergyMJ,
            OriginalEnergyMJ = originalCosts.EnergyMJ,
            EnergyBudgetMJ = budgets.EnergyMJ,
            Accuracy = finalAccuracy.Accuracy,
            OriginalAccuracy = originalAccuracy.Accuracy,
            MinAccuracy = searchBudgets.MinAccuracy,
            AccuracyIsAgreement = finalAccuracy.IsAgreement,
            AccuracySamples = finalAccuracy.Count,
            BudgetsMet = met,
            Techniques = TechniqueSummary(chosen.Actions),
            LayerChoices = search.DecisionPoints.Zip(chosen.Actions, (layer, action) => $"{layer}={action}").ToArray(),
            Device = device.Id,
            Optimizer = request.Optimizer,
            Seed = request.Seed,
            CacheKey = key,
            SearchSeconds = search.Elapsed.TotalSeconds,
            FineTuneSeconds = fineTuneSeconds,
            Warnings = _warnings.ToArray(),
        };

        Report(97, "write", "writing the model and the report");
        var outputs = OutputWriter.Write(request, packed, result, search, originalCosts, finalCosts);
        cache?.Publish(key, outputs.CacheFiles);
        Report(100, "done", $"done in {total.Elapsed.TotalSeconds:F1} s");
        return result;
    }

    private void Report(double percent, string stage, string message) =>
        _progress?.Report(new PipelineProgress(Math.Clamp(percent, 0, 100), stage, message));
}
