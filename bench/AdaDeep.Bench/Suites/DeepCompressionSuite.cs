using System.Globalization;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 12 item 2: Deep-Compression-class results when the storage budget binds. LeNet-300-100 and Caffe's LeNet-5,
/// trained here on MNIST `train`, compressed by a cold `adadeep compress` searching and retraining on `train` only
/// (<see cref="DeepCompressionSettings"/>), reported on the untouched `t10k`: shipped-file bytes and ratio, test
/// accuracy, ORT latency here, wall time and peak memory, beside Deep Compression's published figures.
/// </summary>
public sealed class DeepCompressionSuite : ISuite
{
    /// <summary>Deep Compression (Han et al., ICLR 2016) Table 1: (KB before, KB after, ×, error before, error after).</summary>
    public static readonly IReadOnlyDictionary<string, (int Kb, int CompressedKb, int Ratio, double Error, double CompressedError)> Published =
        new Dictionary<string, (int, int, int, double, double)>
        {
            [DeepCompressionModels.LeNet300100.Label] = (1070, 27, 40, 0.0164, 0.0158),
            [DeepCompressionModels.CaffeLeNet5.Label] = (1720, 44, 39, 0.0080, 0.0074),
        };

    public string Name => "deepcomp";

    public string Description => "LeNet-300-100 and Caffe LeNet-5 under a binding storage budget: shipped bytes, ×, t10k accuracy, ORT ms, wall time";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        var settings = context.Quick ? DeepCompressionSettings.Default with { Episodes = 10, FineTuneEpochs = 2 } : DeepCompressionSettings.Default;
        var test = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MnistPart: "t10k"));
        var split = MnistTrainSplit.Ensure(repo);
        var table = Table("Deep-Compression-class compression (search and retraining on MNIST train, accuracy on t10k)");
        foreach (var net in DeepCompressionModels.All)
        {
            var path = DeepCompressionModels.EnsureTrained(repo, net);
            BenchContext.Log($"deepcomp: cold adadeep compress {net.Label}");
            var row = Measure(repo, net.Label, path, split, test, settings, report);
            table.Add(row);
        }

        report.Tables.Add(table);
        report.Notes.Add($"Settings: `{settings.Describe(0, "VALIDATION", "MNIST").Replace("--storage-budget-mb 0", $"--storage-budget-mb <original bytes / {settings.TargetRatio:0} / 2^20>", StringComparison.Ordinal)}` with `--dataset` the {split.TrainCount:N0} MNIST train images the original was trained on (all of them retrain, pruning in rounds) and `--validation-dataset` the {split.ValidationCount:N0} train images held out from the original's training (MnistTrainSplit): the search, the accuracy floor and the validation gate judge on images neither model learnt; `--test-dataset` the MNIST folder, whose t10k part the report measures. Test accuracy: all 10,000 t10k images, never seen by training, search or fine-tuning.");
        report.Notes.Add("ORT latency: OrtLatencyMeter.CompareMs, original and compressed after 3 untimed rounds, in 16 interleaved rounds of fresh sessions (A B, B A …), median of the round medians, 1 intra-op thread, on this machine, shared with other jobs (see its load averages); wall time and peak RSS of the whole cold child process through /usr/bin/time.");
        report.Notes.Add("Deep Compression's figures are its paper's (Table 1, Caffe models trained by its authors); theirs include Huffman coding of the indices, ours decode in plain ONNX Runtime at session creation (no entropy coding).");
        return report;
    }

    public static BenchTable Table(string title) => new(title, new[]
    {
        BenchColumn.Text("model", "model"),
        BenchColumn.Text("techniques", "per-layer choice"),
        BenchColumn.Number("originalBytes", "original bytes", "N0"),
        BenchColumn.Number("compressedBytes", "shipped bytes", "N0"),
        BenchColumn.Ratio("sizeX", "×"),
        BenchColumn.Percent("originalAccuracy", "original A (t10k)"),
        BenchColumn.Percent("compressedAccuracy", "compressed A (t10k)"),
        BenchColumn.Number("lossPt", "loss pt", "0.00"),
        BenchColumn.Number("originalOrtMs", "original ORT ms", "0.0000"),
        BenchColumn.Number("compressedOrtMs", "compressed ORT ms", "0.0000"),
        BenchColumn.Number("wallSeconds", "wall s", "0"),
        BenchColumn.Number("peakRssMB", "peak RSS MB", "0"),
        BenchColumn.Text("published", "Deep Compression (paper)"),
    });

    /// <summary>One cold compress of <paramref name="modelPath"/> and its figures on t10k.</summary>
    public static Dictionary<string, object?> Measure(RepoLayout repo, string label, string modelPath, MnistTrainSplit.Folders split, Dataset test,
        DeepCompressionSettings settings, SuiteReport report)
    {
        var originalBytes = File.ReadAllBytes(modelPath);
        var original = OnnxModel.Parse(originalBytes, modelPath);
        var data = test.ConformTo(original);
        var originalAccuracy = AccuracyEvaluator.Evaluate(original, data).Accuracy;
        var outcome = ColdCompress.Run(repo, modelPath, split.Train, settings.Arguments(originalBytes.LongLength, split.Validation, repo.Mnist), TimeSpan.FromMinutes(25));
        var row = new Dictionary<string, object?>
        {
            ["model"] = label,
            ["originalBytes"] = originalBytes.LongLength,
            ["originalAccuracy"] = originalAccuracy,
            ["wallSeconds"] = outcome.Run.WallSeconds,
            ["peakRssMB"] = outcome.Run.PeakRssKB / 1024.0,
            ["published"] = Published.TryGetValue(label, out var p)
                ? string.Format(CultureInfo.InvariantCulture, "{0:N0} → {1} KB, {2}×, error {3:P2} → {4:P2}", p.Kb, p.CompressedKb, p.Ratio, p.Error, p.CompressedError)
                : null,
        };
        if (outcome.Result is not { } result || outcome.ModelBytes is not { } bytes)
        {
            report.Notes.Add($"{label}: exit {outcome.Run.ExitCode}, no result; last output: {outcome.Run.OutputTail}");
            return row;
        }

        var compressed = OnnxModel.Parse(bytes);
        var accuracy = AccuracyEvaluator.Evaluate(compressed, data).Accuracy;
        var (originalMs, compressedMs) = OrtLatencyMeter.CompareMs(originalBytes, bytes, rounds: 16, warmup: 10, runs: 101);
        row["techniques"] = string.Join(" ", result.LayerChoices);
        row["compressedBytes"] = bytes.LongLength;
        row["sizeX"] = (double)originalBytes.LongLength / bytes.LongLength;
        row["compressedAccuracy"] = accuracy;
        row["lossPt"] = (originalAccuracy - accuracy) * 100;
        row["originalOrtMs"] = originalMs;
        row["compressedOrtMs"] = compressedMs;
        row["validationAccuracy"] = result.ValidationAccuracy;
        row["originalValidationAccuracy"] = result.OriginalValidationAccuracy;
        row["budgetsMet"] = result.BudgetsMet;
        row["searchSeconds"] = result.SearchSeconds;
        row["fineTuneSeconds"] = result.FineTuneSeconds;
        row["warnings"] = result.Warnings;
        report.Headlines.Add(string.Format(CultureInfo.InvariantCulture,
            "{0}: {1:N0} → {2:N0} bytes ({3:0.0}×), t10k accuracy {4:P2} → {5:P2} ({6:+0.00;-0.00} pt), ORT {7:0.0000} → {8:0.0000} ms, cold compress {9:0} s, peak RSS {10:0} MB",
            label, originalBytes.LongLength, bytes.LongLength, (double)originalBytes.LongLength / bytes.LongLength, originalAccuracy, accuracy,
            (accuracy - originalAccuracy) * 100, originalMs, compressedMs, outcome.Run.WallSeconds, outcome.Run.PeakRssKB / 1024.0));
        return row;
    }
}
