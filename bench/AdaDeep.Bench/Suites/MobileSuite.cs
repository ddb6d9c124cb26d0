using System.Globalization;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 22 items 1 and 4: the models people ship to phones, on real data. Five torchvision CNNs (MobileNetV2,
/// ResNet-18, ShuffleNetV2 ×1.0, SqueezeNet 1.1, MobileNetV3-small, adapted to 1×32×32) and a GRU over the 28 image
/// rows, trained on Fashion-MNIST by Debian's PyTorch (scripts/mobile/train_fashion.py, cached under .data/mobile/),
/// each compressed (a) by a cold `adadeep compress --device host` child process with binding budgets (storage = the
/// original's weights / 4, latency = the original's measured host latency / 1.5, accuracy drop ≤ 1 pt) and the engine's
/// training subset, and (b) for the CNNs by the hand pipeline in PyTorch (scripts/mobile/hand_pipeline.py:
/// ln_structured channel pruning, fine-tune, int8 weights). Per model: file bytes, MACs, ORT latency here (interleaved
/// A/B against the original), accuracy on the 10,000 Fashion-MNIST test images, techniques per layer, wall time and
/// peak RSS.
/// </summary>
public sealed class MobileSuite : ISuite
{
    private static readonly (string Name, string Label)[] Models =
    {
        // In the order scripts/mobile/train_fashion.py trains them, so that a run started while it trains can go on.
        ("squeezenet11", "SqueezeNet 1.1"), ("gru", "GRU (seq. rows)"), ("shufflenetv2", "ShuffleNetV2 x1.0"),
        ("mobilenetv3small", "MobileNetV3-small"), ("mobilenetv2", "MobileNetV2"), ("resnet18", "ResNet-18"),
    };

    private static readonly string[] QuickModels = { "squeezenet11", "gru" };

    /// <summary>Binding budgets of issue 22 item 2.</summary>
    public const double StorageDivisor = 4, LatencyDivisor = 1.5, MaxAccuracyDrop = 0.01;

    /// <summary>Output channels the hand pipeline prunes in each (non-depthwise) conv.</summary>
    public const double HandFraction = 0.5;

    public string Name => "mobile";

    public string Description => "Fashion-MNIST MobileNetV2/ResNet-18/ShuffleNetV2/SqueezeNet/MobileNetV3-small/GRU trained by PyTorch: adadeep compress (host, binding budgets) vs the hand pipeline; bytes, MACs, ORT ms, test accuracy, techniques, wall s, peak RSS";

    private sealed record Settings(int SearchSeconds, int FineTuneSeconds, int? Episodes, int HandFineTuneSeconds, int Rounds, int Runs);

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        PyTorchMobile.EnsureInstalled(repo);
        var s = context.Quick ? new Settings(40, 20, 10, 20, 4, 31) : new Settings(180, 120, null, 120, 8, 51);
        var host = DeviceCatalog.Default.Resolve("host");
        var table = new BenchTable("Fashion-MNIST models trained by PyTorch: adadeep compress (--device host, binding budgets) vs the hand pipeline; accuracy on the 10,000 test images", new[]
        {
            BenchColumn.Text("model", "model"),
            BenchColumn.Text("pipeline", "pipeline"),
            BenchColumn.Number("bytes", "file bytes", "N0"),
            BenchColumn.Ratio("sizeX", "size ×"),
            BenchColumn.Number("macs", "MACs", "N0"),
            BenchColumn.Ratio("macsX", "MACs ×"),
            BenchColumn.Number("ortMs", "ORT ms", "0.000"),
            BenchColumn.Ratio("speedX", "speed-up ×"),
            BenchColumn.Percent("accuracy", "A (test)"),
            BenchColumn.Number("wallSeconds", "wall s", "0"),
            BenchColumn.Number("peakRssMB", "peak RSS MB", "N0"),
            BenchColumn.Text("detail", "techniques / what"),
        });

        // ADADEEP_MOBILE_MODELS (a regex over the names above, e.g. "mobilenetv3small") picks models, as corpus's variable does.
        var pick = Environment.GetEnvironmentVariable("ADADEEP_MOBILE_MODELS") is { Length: > 0 } pattern ? new System.Text.RegularExpressions.Regex(pattern) : null;
        if (pick is not null)
        {
            report.Notes.Add($"ADADEEP_MOBILE_MODELS={pick}: only the models it matches.");
        }

        foreach (var (name, label) in Models.Where(m => pick?.IsMatch(m.Name) ?? (!context.Quick || QuickModels.Contains(m.Name))))
        {
            try
            {
                var sequence = name == "gru";
                var trained = PyTorchMobile.Train(repo, name);
                var trainPath = PyTorchMobile.Data(repo, sequence, "train");
                var testPath = PyTorchMobile.Data(repo, sequence, "test");
                var originalBytes = File.ReadAllBytes(trained.OnnxPath);
                var original = OnnxModel.Parse(originalBytes, trained.OnnxPath);
                var test = DatasetLoader.Load(testPath, new DatasetLoadOptions()).ConformTo(original);
                var costs = CompressPipeline.Costs(original, host, test);
                var hostMs = costs.MeasuredLatencyMs ?? costs.LatencyMs;
                var storageMB = costs.WeightMB / StorageDivisor;
                var latencyMs = hostMs / LatencyDivisor;
                var originalMacs = Macs(original);
                var originalAccuracy = AccuracyEvaluator.Evaluate(original, test).Accuracy;
                var originalRow = Row(label, "original (PyTorch export)", originalBytes.LongLength, originalBytes.LongLength, originalMacs, originalMacs,
                    double.NaN, null, originalAccuracy, trained.Seconds, null,
                    string.Format(CultureInfo.InvariantCulture, "trained {0:0.0} epochs in {1:0} s (PyTorch test accuracy {2:P2}); budgets: S ≤ {3:0.###} MB, T ≤ {4:0.###} ms (host {5:0.###} ms / {6}), drop ≤ {7:0.#} pt",
                        trained.Epochs, trained.Seconds, trained.TestAccuracy, storageMB, latencyMs, hostMs, LatencyDivisor, MaxAccuracyDrop * 100));
                table.Add(originalRow);

                BenchContext.Log($"mobile: cold adadeep compress {label} (S ≤ {storageMB:0.###} MB, T ≤ {latencyMs:0.###} ms)");
                var args = new List<string>
                {
                    "--device", "host", "--test-dataset", testPath,
                    "--storage-budget-mb", storageMB.ToString("0.######", CultureInfo.InvariantCulture),
                    "--latency-budget-ms", latencyMs.ToString("0.######", CultureInfo.InvariantCulture),
                    "--max-accuracy-drop", MaxAccuracyDrop.ToString(CultureInfo.InvariantCulture),
                    "--time-budget", s.SearchSeconds.ToString(CultureInfo.InvariantCulture),
                    "--fine-tune-budget", s.FineTuneSeconds.ToString(CultureInfo.InvariantCulture),
                    "--seed", "1",
                };
                if (s.Episodes is { } episodes)
                {
                    args.AddRange(new[] { "--episodes", episodes.ToString(CultureInfo.InvariantCulture) });
                }

                var ada = ColdCompress.Run(repo, trained.OnnxPath, trainPath, args, TimeSpan.FromMinutes(15));
                if (ada.Result is { } result && ada.ModelBytes is { } adaBytes)
                {
                    var ada1 = OnnxModel.Parse(adaBytes);
                    var (originalMs, adaMs) = OrtLatencyMeter.CompareMs(originalBytes, adaBytes, rounds: s.Rounds, warmup: 5, runs: s.Runs, feeds: null);
                    originalRow["ortMs"] = originalMs;
                    var adaAccuracy = AccuracyEvaluator.Evaluate(ada1, test).Accuracy;
                    var row = Row(label, "adadeep compress", adaBytes.LongLength, originalBytes.LongLength, Macs(ada1), originalMacs, adaMs, originalMs,
                        adaAccuracy, ada.Run.WallSeconds, ada.Run.PeakRssKB / 1024.0,
                        $"{Summarise(result.LayerChoices)}; budgets {(result.BudgetsMet ? "met" : "NOT met")}");
                    row["layerChoices"] = result.LayerChoices;
                    row["budgets"] = result.Budgets;
                    row["engineMacs"] = result.Macs;
                    row["engineOriginalMacs"] = result.OriginalMacs;
                    row["engineAccuracy"] = result.Accuracy;
                    row["engineOriginalAccuracy"] = result.OriginalAccuracy;
                    row["searchSeconds"] = result.SearchSeconds;
                    row["fineTuneSeconds"] = result.FineTuneSeconds;
                    row["warnings"] = result.Warnings;
                    table.Add(row);
                    report.Headlines.Add(string.Format(CultureInfo.InvariantCulture,
                        "{0}, adadeep: {1:N0} → {2:N0} bytes ({3:0.00}×), MACs {4:0.00}×, ORT {5:0.00}× ({6:0.###} → {7:0.###} ms), test A {8:P2} → {9:P2}, {10:0} s, {11:N0} MB peak; {12}",
                        label, originalBytes.LongLength, adaBytes.LongLength, (double)originalBytes.LongLength / adaBytes.LongLength, (double)originalMacs / Macs(ada1),
                        originalMs / adaMs, originalMs, adaMs, originalAccuracy, adaAccuracy, ada.Run.WallSeconds, ada.Run.PeakRssKB / 1024.0, Summarise(result.LayerChoices)));
                }
                else
                {
                    var tail = ada.Run.OutputTail.Split('\n').LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? ada.Run.OutputTail.Split('\n').LastOrDefault() ?? "";
                    table.Add(Row(label, "adadeep compress", null, originalBytes.LongLength, null, originalMacs, double.NaN, null, null, ada.Run.WallSeconds, ada.Run.PeakRssKB / 1024.0,
                        $"no result: exit {ada.Run.ExitCode}: {tail.Trim()}"));
                    report.Headlines.Add($"{label}, adadeep: no result (exit {ada.Run.ExitCode}): {tail.Trim()}");
                    report.Notes.Add($"{label}: adadeep exit {ada.Run.ExitCode}, output tail: {ada.Run.OutputTail}");
                }

                if (sequence)
                {
                    continue;
                }

                BenchContext.Log($"mobile: hand pipeline {label} (ln_structured {HandFraction:P0} of output channels, {s.HandFineTuneSeconds} s fine-tune, int8)");
                var hand = PyTorchMobile.Compress(repo, name, HandFraction, s.HandFineTuneSeconds);
                var handBytes = File.ReadAllBytes(hand.OnnxPath);
                var handModel = OnnxModel.Parse(handBytes);
                var (originalMs2, handMs) = OrtLatencyMeter.CompareMs(originalBytes, handBytes, rounds: s.Rounds, warmup: 5, runs: s.Runs);
                if (originalRow["ortMs"] is double.NaN)
                {
                    originalRow["ortMs"] = originalMs2;
                }

                var handAccuracy = AccuracyEvaluator.Evaluate(handModel, test).Accuracy;
                var ifRemoved = hand.Info.GetProperty("macs_if_removed").GetInt64();
                var handRow = Row(label, "by hand (PyTorch)", handBytes.LongLength, originalBytes.LongLength, Macs(handModel), originalMacs, handMs, originalMs2,
                    handAccuracy, hand.WallSeconds, null,
                    string.Format(CultureInfo.InvariantCulture, "ln_structured L2 {0:P0} of output channels of {1} convs (masked: MACs {2:N0} if removed), {3} s fine-tune ({4} steps), int8 per-channel + DequantizeLinear",
                        HandFraction, hand.Info.GetProperty("pruned_convs").GetInt32(), ifRemoved, s.HandFineTuneSeconds, hand.Info.GetProperty("fine_tune_steps").GetInt32()));
                handRow["macsIfRemoved"] = ifRemoved;
                handRow["pytorchTestAccuracy"] = hand.Info.GetProperty("test_accuracy").GetDouble();
                table.Add(handRow);
                report.Headlines.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0}, by hand: {1:N0} bytes ({2:0.00}×), MACs as run {3:0.00}× ({4:0.00}× if the masked channels were removed), ORT {5:0.00}×, test A {6:P2}, {7:0} s",
                    label, handBytes.LongLength, (double)originalBytes.LongLength / handBytes.LongLength, (double)originalMacs / Macs(handModel), (double)originalMacs / ifRemoved,
                    originalMs2 / handMs, handAccuracy, hand.WallSeconds));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or AdaDeep.Onnx.Diagnostics.AdaDeepException)
            {
                report.Notes.Add($"{label}: failed: {e.GetType().Name}: {e.Message}");
                BenchContext.Log($"mobile: {label} failed: {e.Message}");
            }
        }

        report.Tables.Add(table);
        report.Notes.Add(string.Format(CultureInfo.InvariantCulture,
            "adadeep: `adadeep compress MODEL --device host --dataset .data/mobile/fashion-train.npz --test-dataset .data/mobile/fashion-test.npz --storage-budget-mb <original weights MB / {0}> --latency-budget-ms <original host ms / {1}> --max-accuracy-drop {2} --time-budget {3} --fine-tune-budget {4}{5} --seed 1 --no-cache` as a child process (ColdCompress: wall time and peak RSS by /usr/bin/time -f %M). The GRU uses fashion-seq-*.npz (N×28×28). The train npz is a seeded 10,000-image subset of the 60,000 train images (the engine's default --train-samples); the original's budgets come from CompressPipeline.Costs on `host` (measured ORT latency, 1 thread) before the run.",
            StorageDivisor, LatencyDivisor, MaxAccuracyDrop, s.SearchSeconds, s.FineTuneSeconds, s.Episodes is { } e2 ? $" --episodes {e2}" : ""));
        report.Notes.Add($"By hand: scripts/mobile/hand_pipeline.py: torch.nn.utils.prune.ln_structured (L2, dim 0) of {HandFraction:P0} of the output channels of every non-depthwise conv but a classifier conv, fine-tune {s.HandFineTuneSeconds} s (AdamW, cosine, flips) on the same 10,000 train images with the masks kept, int8 weights per output channel + DequantizeLinear. The pruned channels stay in the file as zeros (masking does not shrink tensors): the MACs column is what ORT runs; `macs if removed` (detail) is what the convs would do with the pruned output channels removed. Wall s: the whole script (load, prune, fine-tune, export).");
        report.Notes.Add($"Original row: wall s is PyTorch's training time (cached, not rerun); its ORT ms is from the first interleaved comparison. ORT ms: OrtLatencyMeter.CompareMs of each file against the original ({OrtLatencyMeter.WarmupRounds} untimed + {s.Rounds} interleaved rounds of fresh sessions, ≥ {s.Runs} runs each, median of round medians, 1 intra-op thread, batch 1); speed-up × = the original's ms over the file's from that comparison. MACs: ModelAnalyzer on each file (MACs ×: original over file). A (test): every file in ONNX Runtime on the 10,000 Fashion-MNIST test images.");
        report.Notes.Add("Machine shared with other jobs (see the load averages): wall times and latencies are indicative.");
        return report;
    }

    private static long Macs(OnnxModel model) => ModelAnalyzer.Analyze(model).TotalMacs;

    /// <summary>"Q8W×40, none×12" from "node=technique" choices.</summary>
    public static string Summarise(IReadOnlyList<string> layerChoices) => layerChoices.Count == 0
        ? "no layer choices"
        : string.Join(", ", layerChoices.Select(c => c.Split('=', 2) is { Length: 2 } p ? p[1] : c)
            .GroupBy(t => t).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}×{g.Count()}"));

    private static Dictionary<string, object?> Row(string model, string pipeline, long? bytes, long originalBytes, long? macs, long originalMacs, double ms,
        double? originalMs, double? accuracy, double wall, double? peakRssMB, string detail) => new()
    {
        ["model"] = model,
        ["pipeline"] = pipeline,
        ["bytes"] = bytes,
        ["sizeX"] = bytes is { } b ? (double)originalBytes / b : null,
        ["macs"] = macs,
        ["macsX"] = macs is { } m ? (double)originalMacs / m : null,
        ["ortMs"] = ms,
        ["speedX"] = originalMs is { } o ? o / ms : null,
        ["accuracy"] = accuracy,
        ["wallSeconds"] = wall,
        ["peakRssMB"] = peakRssMB,
        ["detail"] = detail,
    };
}
