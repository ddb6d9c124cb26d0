using System.Globalization;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 12 item 5: side by side with the hand pipeline. LeNet-300-100 and Caffe's LeNet-5 trained and exported by
/// PyTorch (Debian's python3-torch), then compressed (a) by hand in PyTorch — global magnitude pruning to the sparsity
/// adadeep reached, fine-tuning, int8 weights — and (b) by a cold `adadeep compress` with the same data split (MNIST
/// train; t10k untouched). One table: file bytes, ×, t10k accuracy, ORT latency here, wall time.
/// </summary>
public sealed class PeersSuite : ISuite
{
    private static readonly (string Net, string Label)[] Nets = { ("lenet-300-100", "LeNet-300-100"), ("lenet5-caffe", "LeNet-5 (Caffe)") };

    public string Name => "peers";

    public string Description => "PyTorch-trained LeNets: hand pipeline (prune + fine-tune + int8) vs adadeep compress; bytes, ×, t10k accuracy, ORT ms, wall s";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        PyTorchPeers.EnsureInstalled(repo);
        var settings = context.Quick ? DeepCompressionSettings.Default with { Episodes = 10, FineTuneEpochs = 2 } : DeepCompressionSettings.Default;
        var test = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MnistPart: "t10k"));
        var split = MnistTrainSplit.Ensure(repo);
        var table = new BenchTable("PyTorch-trained models: hand pipeline vs adadeep (trained, searched and fine-tuned on MNIST train; accuracy on t10k)", new[]
        {
            BenchColumn.Text("model", "model"),
            BenchColumn.Text("pipeline", "pipeline"),
            BenchColumn.Number("bytes", "file bytes", "N0"),
            BenchColumn.Ratio("sizeX", "×"),
            BenchColumn.Percent("accuracy", "A (t10k)"),
            BenchColumn.Number("ortMs", "ORT ms", "0.0000"),
            BenchColumn.Ratio("speedX", "speed-up ×"),
            BenchColumn.Number("wallSeconds", "wall s", "0"),
            BenchColumn.Text("detail", "what"),
        });
        foreach (var (net, label) in Nets)
        {
            try
            {
                BenchContext.Log($"peers: PyTorch trains {label}");
                var trained = PyTorchPeers.Train(repo, split, net, epochs: 10, budgetSeconds: 300);
                var originalBytes = File.ReadAllBytes(trained.OnnxPath);
                var original = OnnxModel.Parse(originalBytes, trained.OnnxPath);
                var data = test.ConformTo(original);
                // Each compressed file's latency is measured interleaved with the original's (CompareMs); the
                // original's row shows its figure from the first comparison.
                var originalRow = Row(label, "original (PyTorch export)", originalBytes, originalBytes.LongLength, AccuracyEvaluator.Evaluate(original, data).Accuracy,
                    double.NaN, trained.Seconds, null, $"{trained.Info.GetProperty("epochs").GetInt32()} epochs max, training time capped");
                table.Add(originalRow);

                BenchContext.Log($"peers: cold adadeep compress {label}");
                var ada = ColdCompress.Run(repo, trained.OnnxPath, split.Train, settings.Arguments(originalBytes.LongLength, split.Validation, repo.Mnist), TimeSpan.FromMinutes(25));
                if (ada.Result is not { } result || ada.ModelBytes is not { } adaBytes)
                {
                    report.Notes.Add($"{label}: adadeep exit {ada.Run.ExitCode}, no result: {ada.Run.OutputTail}");
                    continue;
                }

                var sparsity = Sparsity(original, result.LayerChoices);
                var (originalMs, adaMs) = OrtLatencyMeter.CompareMs(originalBytes, adaBytes, rounds: 16, warmup: 10, runs: 101);
                originalRow["ortMs"] = originalMs;
                table.Add(Row(label, "adadeep compress", adaBytes, originalBytes.LongLength, AccuracyEvaluator.Evaluate(OnnxModel.Parse(adaBytes), data).Accuracy,
                    adaMs, ada.Run.WallSeconds, originalMs,
                    $"{string.Join(" ", result.LayerChoices)}, shared weights {settings.SharedWeights}; {sparsity:P1} of weights pruned; peak RSS {ada.Run.PeakRssKB / 1024.0:0} MB"));

                BenchContext.Log($"peers: hand pipeline {label} at sparsity {sparsity:P1}");
                var hand = PyTorchPeers.Compress(repo, split, net, sparsity, settings.FineTuneEpochs, settings.FineTuneBudgetSeconds);
                var handBytes = File.ReadAllBytes(hand.OnnxPath);
                var (originalMs2, handMs) = OrtLatencyMeter.CompareMs(originalBytes, handBytes, rounds: 16, warmup: 10, runs: 101);
                table.Add(Row(label, "by hand (PyTorch)", handBytes, originalBytes.LongLength, AccuracyEvaluator.Evaluate(OnnxModel.Parse(handBytes), data).Accuracy,
                    handMs, hand.WallSeconds, originalMs2,
                    $"global L1 pruning to {sparsity:P1}, ≤ {settings.FineTuneEpochs} fine-tune epochs, int8 weights + DequantizeLinear"));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                report.Notes.Add($"{label}: failed: {e.Message}");
            }
        }

        report.Tables.Add(table);
        report.Notes.Add($"adadeep: `{settings.Describe(0, "VALIDATION", "MNIST").Replace("--storage-budget-mb 0", $"--storage-budget-mb <original bytes / {settings.TargetRatio:0} / 2^20>", StringComparison.Ordinal)}` with `--dataset` the {split.TrainCount:N0} MNIST train images PyTorch trained the original on and `--validation-dataset` the {split.ValidationCount:N0} it held out to pick its best epoch (MnistTrainSplit). The hand pipeline (scripts/peers/hand_pipeline.py) fine-tunes on the same {split.TrainCount:N0} and picks its best epoch on the same {split.ValidationCount:N0}, with the same epoch count and time cap. Neither sees t10k; the bench measures every file's t10k accuracy and latency the same way, in ONNX Runtime.");
        report.Notes.Add("ORT ms: OrtLatencyMeter.CompareMs, each compressed file against the original after 3 untimed rounds, in 16 interleaved rounds of fresh sessions, median of the round medians, 1 intra-op thread; speed-up × = the original's ms over the file's from that same comparison.");
        report.Notes.Add("Wall time: the whole step as a child process on this machine, shared with other jobs (see the load averages); the PyTorch training row is its own training time, cached across reruns.");
        return report;
    }

    /// <param name="originalMs">The original's latency measured interleaved with this file's (null for the original's own row).</param>
    private static Dictionary<string, object?> Row(string model, string pipeline, byte[] bytes, long originalBytes, double accuracy, double ms, double wall, double? originalMs, string detail) => new()
    {
        ["speedX"] = originalMs is { } o ? o / ms : null,
        ["model"] = model,
        ["pipeline"] = pipeline,
        ["bytes"] = bytes.LongLength,
        ["sizeX"] = (double)originalBytes / bytes.LongLength,
        ["accuracy"] = accuracy,
        ["ortMs"] = ms,
        ["wallSeconds"] = wall,
        ["detail"] = detail,
    };

    /// <summary>Fraction of the original's Conv/Gemm weights that the chosen W3 levels prune ("fc1=W3@95" …).</summary>
    public static double Sparsity(OnnxModel original, IReadOnlyList<string> layerChoices)
    {
        var initializers = original.Graph.Initializer.ToDictionary(t => t.Name, TensorData.ElementCount);
        var choices = layerChoices.Select(c => c.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        double pruned = 0, total = 0;
        foreach (var node in original.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm" or "MatMul" && n.Input.Count > 1))
        {
            if (!initializers.TryGetValue(node.Input[1], out var count))
            {
                continue;
            }

            total += count;
            if (choices.TryGetValue(node.Name, out var action) && action.StartsWith("W3@", StringComparison.Ordinal) &&
                int.TryParse(action[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            {
                pruned += Math.Floor(percent / 100.0 * count);
            }
        }

        return total == 0 ? 0 : pruned / total;
    }
}
