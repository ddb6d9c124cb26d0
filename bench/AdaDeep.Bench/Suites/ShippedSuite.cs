using System.Globalization;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Devices.Costs;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 7 item 5: what ships. The pipeline with its default settings for the Sony SmartWatch 3, then ORT latency on
/// this machine and file size of the original and the compressed model, and accuracy on the MNIST t10k test set
/// (untouched: given the two-part MNIST folder the pipeline searches and fine-tunes on `train` only).
/// </summary>
public sealed class ShippedSuite : ISuite
{
    public string Name => "shipped";

    public string Description => "original vs compressed model: ORT latency here, file size, accuracy";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        var runs = context.Quick ? 21 : 101;
        var testCount = context.Quick ? 2000 : 10000;
        var table = new BenchTable("Original vs compressed (`adadeep compress --device sony-sw3`, default settings)", new[]
        {
            BenchColumn.Text("model", "model"),
            BenchColumn.Text("techniques", "chosen"),
            BenchColumn.Number("originalBytes", "original bytes", "N0"),
            BenchColumn.Number("compressedBytes", "compressed bytes", "N0"),
            BenchColumn.Ratio("sizeX", "size ×"),
            BenchColumn.Number("originalOrtMs", "original ORT ms", "0.0000"),
            BenchColumn.Number("compressedOrtMs", "compressed ORT ms", "0.0000"),
            BenchColumn.Ratio("speedupX", "speed-up ×"),
            BenchColumn.Text("metric", "A measured as"),
            BenchColumn.Percent("originalAccuracy", "original A"),
            BenchColumn.Percent("compressedAccuracy", "compressed A"),
            BenchColumn.Text("budgetsMet", "budgets met"),
        });
        var models = new[]
        {
            (Label: "mnist-8", Model: repo.Mnist8, Dataset: (string?)repo.Mnist),
            (Label: "LeNet-5", Model: LeNetProvider.EnsureTrained(repo), Dataset: (string?)repo.Mnist),
            (Label: "cifar10-cnn", Model: repo.Cifar10, Dataset: (string?)null),
        };
        var test = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MaxSamples: testCount));
        foreach (var (label, modelPath, dataset) in models)
        {
            BenchContext.Log($"shipped: compressing {label}");
            try
            {
                var request = new CompressRequest
                {
                    ModelPath = modelPath,
                    Device = "sony-sw3",
                    DatasetPath = dataset,
                    OutputPath = "unused",
                    TimeBudgetSeconds = context.Quick ? 10 : null,
                };
                if (context.Quick)
                {
                    request = request with { FineTuneBudget = TimeSpan.FromSeconds(5) };
                }

                var outcome = PipelineRunner.Run(request);
                var originalBytes = File.ReadAllBytes(modelPath);
                var original = OnnxModel.Parse(originalBytes, modelPath);
                var compressed = OnnxModel.Parse(outcome.ModelBytes);
                var (originalMs, compressedMs) = OrtLatencyMeter.CompareMs(originalBytes, outcome.ModelBytes, rounds: context.Quick ? 2 : 16, warmup: 10, runs: runs);
                double? originalAccuracy;
                double compressedAccuracy;
                string metric;
                if (dataset is not null)
                {
                    var data = test.ConformTo(original);
                    originalAccuracy = AccuracyEvaluator.Evaluate(original, data).Accuracy;
                    compressedAccuracy = AccuracyEvaluator.Evaluate(compressed, data).Accuracy;
                    metric = $"accuracy, {data.Count} untouched MNIST t10k test images";
                }
                else
                {
                    // No labels: the only figure is the compressed model's top-1 agreement with the original's
                    // predictions; the original "agrees with itself" by definition, so it gets no figure.
                    originalAccuracy = null;
                    compressedAccuracy = outcome.Result.Accuracy;
                    metric = $"top-1 agreement with the original's predictions (no labels), {outcome.Result.AccuracySamples} held-out synthetic inputs";
                }

                table.Add(new Dictionary<string, object?>
                {
                    ["model"] = label,
                    ["techniques"] = outcome.Result.Techniques,
                    ["layerChoices"] = outcome.Result.LayerChoices,
                    ["originalBytes"] = originalBytes.LongLength,
                    ["compressedBytes"] = outcome.ModelBytes.LongLength,
                    ["sizeX"] = (double)originalBytes.LongLength / outcome.ModelBytes.LongLength,
                    ["originalOrtMs"] = originalMs,
                    ["compressedOrtMs"] = compressedMs,
                    ["speedupX"] = originalMs / compressedMs,
                    ["metric"] = metric,
                    ["originalAccuracy"] = originalAccuracy,
                    ["compressedAccuracy"] = compressedAccuracy,
                    ["budgetsMet"] = outcome.Result.BudgetsMet ? "yes" : "no",
                    ["pipelineTestAccuracy"] = outcome.Result.Accuracy,
                    ["splits"] = outcome.Result.Splits.Select(sp => $"{sp.Name}: {sp.Samples} from {sp.Source}").ToArray(),
                    ["speedGate"] = outcome.Result.SpeedGate,
                    ["searchSeconds"] = outcome.Result.SearchSeconds,
                    ["fineTuneSeconds"] = outcome.Result.FineTuneSeconds,
                });
                var quality = originalAccuracy is double before
                    ? string.Format(CultureInfo.InvariantCulture, "accuracy {0:P2} → {1:P2} on {2}", before, compressedAccuracy, metric[(metric.IndexOf(',') + 2)..])
                    : string.Format(CultureInfo.InvariantCulture, "top-1 agreement with the original's predictions {0:P2} on {1} synthetic inputs (no labels: not an accuracy)", compressedAccuracy, outcome.Result.AccuracySamples);
                report.Headlines.Add(string.Format(CultureInfo.InvariantCulture, "{0}: {1}, file {2:N0} → {3:N0} bytes ({4:0.00}×), ORT {5:0.0000} → {6:0.0000} ms ({7:0.00}×), {8}",
                    label, outcome.Result.Techniques, originalBytes.LongLength, outcome.ModelBytes.LongLength, (double)originalBytes.LongLength / outcome.ModelBytes.LongLength,
                    originalMs, compressedMs, originalMs / compressedMs, quality));
            }
            catch (Exception e)
            {
                report.Notes.Add($"{label}: failed: {e.GetType().Name}: {e.Message}");
            }
        }

        report.Tables.Add(table);
        report.Notes.Add(context.Quick
            ? $"--quick: the search capped at 10 s and the final fine-tune at 5 s instead of the defaults ({PipelineDefaults.Describe()}); otherwise default settings (dqn, seed 1, accuracy floor original − 2 pt, no budgets)."
            : $"Default settings: dqn, seed 1, {PipelineDefaults.Describe()}, accuracy floor original − 2 pt, no latency/storage budgets.");
        report.Notes.Add($"ORT latency: original and compressed measured against each other in {(context.Quick ? 2 : 16)} rounds after {OrtLatencyMeter.WarmupRounds} untimed ones (A B, B A, …; a fresh session each), the median of the rounds' medians; each round the median of at least {runs} runs after at least 10 warm-ups (OrtLatencyMeter adds runs for fast models until 10 ms are timed, at most 401), 1 intra-op thread, this machine (its load averages are in the machine line).");
        report.Notes.Add("Data splits: the pipeline gets the two-part MNIST folder, so it searches and fine-tunes on a seeded subset of `train` and never sees t10k; A is measured here on t10k (the pipeline's own test-split figure is in the JSON as pipelineTestAccuracy).");
        report.Notes.Add("cifar10-cnn has no labelled data in the repository: it is compressed without a data set, and its only quality figure is the compressed model's top-1 agreement with the original model's predictions on held-out synthetic inputs (the original column is empty: agreement with itself is 100% by definition). That is not an accuracy and says little about CIFAR-10 accuracy.");
        return report;
    }
}
