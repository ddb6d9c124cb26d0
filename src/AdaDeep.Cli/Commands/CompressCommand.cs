using System.CommandLine;
using System.Globalization;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// `adadeep compress [MODEL] --device D [budgets] [--dataset PATH] --output PATH`: the engine entry point that the
/// MSBuild task runs out of process (docs/build.md has the contract: arguments, result JSON, exit codes).
/// </summary>
public static class CompressCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("model")
        {
            Description = "The ONNX model to compress; omitted: the embedded default (mnist-8).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var device = new Option<string>("--device", "-d")
        {
            Description = "Target device: a catalog id (see `adadeep devices`) or a profile YAML file.",
            Required = true,
        };
        var profiles = new Option<string[]>("--profile") { Description = "Extra device profile YAML files (repeatable).", AllowMultipleArgumentsPerToken = false };
        var latency = SettingOption(ItemSetting.LatencyBudgetMs, "Latency budget per inference on the device, in ms.");
        var storage = SettingOption(ItemSetting.StorageBudgetMB, "Budget for the weights that ship, in MB.");
        var energy = SettingOption(ItemSetting.EnergyBudgetMJ, "Energy budget per inference, in mJ (paper Eq. 5).");
        var minAccuracy = SettingOption(ItemSetting.MinAccuracy, "Accuracy floor in (0, 1].");
        var maxDrop = SettingOption(ItemSetting.MaxAccuracyDrop, "Accuracy floor relative to the original model (default 0.02).");
        var dataset = new Option<string?>("--dataset") { Description = "Labelled data: .npz (x, y), an MNIST IDX folder, or ONNX test_data_set folders." };
        var validationDataset = new Option<string?>("--validation-dataset") { Description = "Data the search, the accuracy floor and the validation gate judge on, held out from fine-tuning (default: a seeded 30 % of --dataset); give the split the original was validated on." };
        var testDataset = new Option<string?>("--test-dataset") { Description = "Data the reported accuracy is measured on, never searched or trained on (default: the t10k part of a two-part MNIST folder, else a seeded 20 % of --dataset held out)." };
        var trainSamples = new Option<int?>("--train-samples") { Description = $"At most this many training samples (a seeded choice) for fine-tuning and validation (default {CompressRequest.DefaultTrainSamples:N0})." };
        var inputs = new Option<string[]>("--input")
        {
            Description = "A constant for a model input: NAME=VALUE (a number, or a comma list) or NAME=FILE (.npy, .pb); repeatable.",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var inputShapes = new Option<string[]>("--input-shape")
        {
            Description = "The real shape of an input with free dimensions, batch included: NAME=1x3x48x192; repeatable.",
            DefaultValueFactory = _ => Array.Empty<string>(),
        };
        var optimizer = new Option<string?>("--optimizer") { Description = "dqn (default), greedy, exhaustive, random or single:<technique>." };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (default 1): same inputs and seed, same bytes." };
        var timeBudget = SettingOption(ItemSetting.TimeBudgetSeconds, $"Time budget of the search stage in seconds: measuring the original, the search and the checks after it (default {CompressRequest.DefaultTimeBudgetSeconds}).");
        var fineTune = new Option<double?>("--fine-tune-budget") { Description = "Safety cap on fine-tuning time in seconds (default 120)." };
        var fineTuneEpochs = new Option<int?>("--fine-tune-epochs") { Description = "Epochs of the final fine-tune (default 3)." };
        var fineTuneSchedule = new Option<string>("--fine-tune-schedule") { Description = "Step size of the final fine-tune: constant (stops early when validation stalls) or cosine (anneals over the epochs its time cap allows).", DefaultValueFactory = _ => "constant" };
        fineTuneSchedule.AcceptOnlyFromAmong("constant", "cosine");
        var distillationWeight = new Option<double?>("--distillation-weight") { Description = $"α of the final fine-tune's loss: α·distillation from the original + (1 − α)·cross-entropy with the labels (default {CompressRequest.DefaultDistillationWeight.ToString(CultureInfo.InvariantCulture)}; 0: the labels alone, as Deep Compression retrains)." };
        var pruneSteps = new Option<int?>("--prune-steps") { Description = "Rounds in which the final fine-tune prunes to each pruned layer's sparsity, retraining between them (default: half the fine-tune epochs; 1 prunes at once)." };
        var episodes = new Option<int?>("--episodes") { Description = $"DQN episodes that measure something new, and random-search episodes (default {CompressRequest.DefaultEpisodes})." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the compressed model (default: <model>.<device>.onnx)." };
        var report = new Option<string?>("--report") { Description = "Report path: writes .json, .md and .svg with this stem." };
        var resultJson = new Option<string?>("--result-json") { Description = "Machine-readable result for the build (docs/build.md)." };
        var progress = new Option<string>("--progress") { Description = "auto, bar, lines (adadeep:progress <percent> <message>) or none.", DefaultValueFactory = _ => "auto" };
        progress.AcceptOnlyFromAmong("auto", "bar", "lines", "none");
        var failIfNotMet = new Option<bool>("--fail-if-budgets-not-met") { Description = "Exit 5 instead of returning the closest model when no configuration meets the budgets." };
        var allowLossy = new Option<bool>("--allow-lossy") { Description = "Let the search use lossy techniques although there is no real data (only synthetic inputs); the validation gate still applies." };
        var minAgreement = new Option<double?>("--min-agreement") { Description = $"Top-1 agreement with the original the validation gate requires (default {ValidationGate.DefaultMinAgreement}; lowered by an accuracy floor you set)." };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Cache root (default: ADADEEP_CACHE_DIR, else the user cache folder)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the cache." };
        var techniques = new Option<string?>("--techniques") { Description = "Comma-separated technique ids the search may choose (default: all); W3@<percent> prunes a layer to that sparsity, e.g. W3@90,W3@95." };
        var searchFineTuneSamples = new Option<int?>("--search-fine-tune-samples") { Description = "Training samples of each search candidate's quick fine-tune, one pass (default 512): more lets the search judge aggressive pruning by what retraining recovers." };
        var sharedWeights = new Option<string?>("--shared-weights") { Description = "Shared weights after the rewrites: k-means codebook bits for fc[,conv] layers, e.g. 5,8 (Deep Compression)." };

        var command = new Command("compress", "Compress an ONNX model for a device under latency, storage, energy and accuracy budgets.")
        {
            model, device, profiles, latency, storage, energy, minAccuracy, maxDrop, dataset, validationDataset, testDataset, trainSamples, inputs, inputShapes,
            optimizer, seed, timeBudget,
            fineTune, fineTuneEpochs, fineTuneSchedule, distillationWeight, pruneSteps, episodes, output, report, resultJson, progress, failIfNotMet, allowLossy, minAgreement, cacheDir, noCache,
            techniques, sharedWeights, searchFineTuneSamples,
        };
        var remoteCache = new RemoteCacheCliOptions();
        remoteCache.AddTo(command);

        command.SetAction((parse, ct) =>
        {
            var modelPath = parse.GetValue(model);
            var deviceId = parse.GetValue(device)!;
            var request = new CompressRequest
            {
                ModelPath = modelPath,
                Device = deviceId,
                ProfilePaths = parse.GetValue(profiles) ?? Array.Empty<string>(),
                LatencyBudgetMs = parse.GetValue(latency),
                StorageBudgetMB = parse.GetValue(storage),
                EnergyBudgetMJ = parse.GetValue(energy),
                MinAccuracy = parse.GetValue(minAccuracy),
                MaxAccuracyDrop = parse.GetValue(maxDrop),
                DatasetPath = parse.GetValue(dataset),
                TestDatasetPath = parse.GetValue(testDataset),
                ValidationDatasetPath = parse.GetValue(validationDataset),
                SearchFineTuneSamples = parse.GetValue(searchFineTuneSamples) ?? CompressRequest.DefaultSearchFineTuneSamples,
                TrainSamples = parse.GetValue(trainSamples),
                Inputs = parse.GetValue(inputs) ?? Array.Empty<string>(),
                InputShapes = parse.GetValue(inputShapes) ?? Array.Empty<string>(),
                Optimizer = parse.GetValue(optimizer),
                Seed = parse.GetValue(seed),
                TimeBudgetSeconds = parse.GetValue(timeBudget),
                FineTuneBudget = TimeSpan.FromSeconds(parse.GetValue(fineTune) ?? 120),
                FineTuneEpochs = parse.GetValue(fineTuneEpochs) ?? 3,
                PruneSteps = parse.GetValue(pruneSteps),
                FineTuneSchedule = parse.GetValue(fineTuneSchedule) == "cosine" ? LearningRateSchedule.Cosine : LearningRateSchedule.Constant,
                DistillationWeight = parse.GetValue(distillationWeight) ?? CompressRequest.DefaultDistillationWeight,
                Episodes = parse.GetValue(episodes),
                OutputPath = parse.GetValue(output) ?? DefaultOutput(modelPath, deviceId),
                ReportPath = parse.GetValue(report),
                ResultJsonPath = parse.GetValue(resultJson),
                FailIfBudgetsNotMet = parse.GetValue(failIfNotMet),
                AllowLossy = parse.GetValue(allowLossy),
                MinAgreement = parse.GetValue(minAgreement),
                CacheDir = parse.GetValue(cacheDir),
                UseCache = !parse.GetValue(noCache),
                Techniques = parse.GetValue(techniques) is { } ids ? ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null,
                WeightSharing = parse.GetValue(sharedWeights) is { } bits ? CompressRequest.ParseWeightSharing(bits) : null,
            };

            // The remote is asked before the engine starts: a hit lands in the local cache, where the pipeline finds it.
            using var remote = request.UseCache ? remoteCache.Open(parse, null, Console.Error) : null;
            var remoteHit = remote is not null && RemoteCompressCache.Prefetch(remote, request, Console.Error, ct);
            var mode = ProgressDisplay.Resolve(parse.GetValue(progress)!);
            var result = ProgressDisplay.Run(mode, reporter => new CompressPipeline(reporter).Run(request, ct));
            foreach (var warning in result.Warnings)
            {
                Console.Error.WriteLine(warning);
            }

            if (remote is not null)
            {
                if (!remoteHit)
                {
                    RemoteCompressCache.Share(remote, request, result, ct);
                }

                Console.Error.WriteLine(RemoteCacheCliOptions.Summary(remote));
            }

            Console.Out.WriteLine(Summary(result));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>An option for a numeric item setting, parsed and range-checked by the contract's one parser
    /// (<see cref="ItemSetting.TryParse"/>), the same that reads the AdaDeepModel metadata.</summary>
    private static Option<double?> SettingOption(ItemSetting setting, string description) => new(setting.Option)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (setting.TryParse(text, setting.Option, out var value, out var problem))
            {
                return value;
            }

            result.AddError(problem!);
            return null;
        },
    };

    private static string DefaultOutput(string? modelPath, string device)
    {
        var stem = modelPath is null ? "mnist-8" : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, Path.GetFileNameWithoutExtension(modelPath));
        return $"{stem}.{device}.onnx";
    }

    /// <summary>One line, the same one the build prints per model.</summary>
    public static string Summary(CompressResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var budget = r.LatencyBudgetMs is { } b ? string.Format(inv, " (budget {0:0.###} ms)", b) : "";
        // The engine's headline picks the measure (cosine for dense outputs, no number where it means nothing, ADA3604);
        // results written before it carry none: agreement on a meaningless check still gives no number.
        var accuracy = r.AccuracyHeadline
            ?? (r.AccuracyIsAgreement && !r.ValidationMeaningful ? "accuracy not measured (no real data)"
            : string.Format(inv, "{0} {1:P2} → {2:P2}", r.AccuracyIsAgreement ? "agreement" : "accuracy", r.OriginalAccuracy, r.Accuracy));
        return string.Format(inv,
            "adadeep: {0} for {1}: {2} | {3:N0} → {4:N0} bytes, {5:N0} → {6:N0} MACs, latency {7:0.###} → {8:0.###} ms{9}, energy {10:0.####} → {11:0.####} mJ, {12}{13}{14}",
            r.Model, r.Device, r.Techniques, r.OriginalSizeBytes, r.SizeBytes, r.OriginalMacs, r.Macs, r.OriginalLatencyMs,
            r.LatencyMs, budget, r.OriginalEnergyMJ, r.EnergyMJ, accuracy,
            r.BudgetsMet ? "" : " — BUDGETS NOT MET", r.CacheHit ? " (cache hit)" : "");
    }
}
