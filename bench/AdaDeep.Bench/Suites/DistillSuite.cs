using System.Globalization;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// The fine-tuning engine on its own (formerly benchmarks/AdaDeep.Torch.Benchmarks `distill-mnist8`): mnist-8 with
/// 80% of every weight tensor magnitude-pruned, then Distiller.FineTune from the original on MNIST training images.
/// Test accuracy before and after, the run's steps and stop reason, and whether every pruned zero is still zero.
/// </summary>
public sealed class DistillSuite : ISuite
{
    public const double PruneFraction = 0.8;

    public string Name => "distill";

    public string Description => "distillation fine-tuning alone: mnist-8 80% magnitude-pruned, recovered from the original";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        var samples = context.Quick ? 2000 : 10000;
        var testCount = context.Quick ? 2000 : 10000;
        var budget = TimeSpan.FromSeconds(context.Quick ? 20 : 150);

        var teacher = OnnxModel.Load(repo.Mnist8);
        var student = MagnitudePruner.Prune(teacher, PruneFraction);
        var train = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MnistPart: "train"));
        var (rest, validation) = train.Split(0.05, seed: 1);
        var subset = rest.Take(samples);
        var test = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MaxSamples: testCount));
        var original = AccuracyEvaluator.Evaluate(teacher, test);
        var before = AccuracyEvaluator.Evaluate(student, test);
        BenchContext.Log($"distill: mnist-8 pruned {PruneFraction:P0}: {before.Describe()}; distilling on {subset.Count} images for at most {budget.TotalSeconds:0} s");
        var options = new FineTuneOptions(MaxEpochs: 20, BatchSize: 32, LearningRate: 1e-3, Patience: 3, TimeBudget: budget, Seed: 0);
        var result = Distiller.FineTune(teacher, student, subset, validation.Take(1000), options);
        var after = AccuracyEvaluator.Evaluate(result.Model, test);
        var (zerosBefore, values) = MagnitudePruner.CountZeros(student);
        var (zerosAfter, _) = MagnitudePruner.CountZeros(result.Model);

        var table = new BenchTable($"mnist-8, {PruneFraction:P0} of each weight tensor (≥ {MagnitudePruner.MinValues} values) magnitude-pruned, then distilled from the original", new[]
        {
            BenchColumn.Text("stage", "stage"),
            BenchColumn.Percent("testAccuracy", $"test accuracy ({test.Count} MNIST test images)"),
            BenchColumn.Percent("validation", "validation (1,000 held-out training images)"),
            BenchColumn.Number("zeros", "zero weights", "N0"),
        });
        table.Add(new Dictionary<string, object?> { ["stage"] = "original", ["testAccuracy"] = original.Accuracy, ["zeros"] = MagnitudePruner.CountZeros(teacher).Zeros });
        table.Add(new Dictionary<string, object?> { ["stage"] = "pruned", ["testAccuracy"] = before.Accuracy, ["validation"] = result.ValAccuracyBefore, ["zeros"] = zerosBefore });
        table.Add(new Dictionary<string, object?>
        {
            ["stage"] = "pruned + distilled",
            ["testAccuracy"] = after.Accuracy,
            ["validation"] = result.ValAccuracyAfter,
            ["zeros"] = zerosAfter,
            ["trainingImages"] = subset.Count,
            ["steps"] = result.Steps,
            ["epochs"] = result.Epochs,
            ["bestEpoch"] = result.BestEpoch,
            ["stopReason"] = result.StopReason.ToString(),
            ["seconds"] = result.Elapsed.TotalSeconds,
        });
        report.Tables.Add(table);
        report.Headlines.Add(string.Format(CultureInfo.InvariantCulture,
            "mnist-8 {0:P0} magnitude-pruned: test accuracy {1:P2} → {2:P2} after distilling on {3:N0} images ({4} steps, {5} epochs, stopped by {6}, {7:0} s); original {8:P2}; pruned zeros kept: {9}",
            PruneFraction, before.Accuracy, after.Accuracy, subset.Count, result.Steps, result.Epochs, result.StopReason, result.Elapsed.TotalSeconds, original.Accuracy,
            zerosAfter >= zerosBefore ? "yes" : $"NO ({zerosAfter:N0} of {zerosBefore:N0})"));
        report.Notes.Add(string.Format(CultureInfo.InvariantCulture,
            "Distiller.FineTune: Adam 1e-3, batch 32 (mnist-8's fixed batch of 1 relaxed), T = 4, α = 0.7, at most 20 epochs, patience 3, seed 0, time budget {0:0} s; {1:N0} of {2:N0} prunable weights are zero after pruning. " +
            "The time budget makes the step count depend on the machine's speed and load.", budget.TotalSeconds, zerosBefore, values));
        var lenetNote = Path.Combine(repo.BenchData, Path.ChangeExtension(LeNetProvider.FileName, ".txt"));
        if (File.Exists(lenetNote))
        {
            report.Notes.Add("Training from scratch (used by the other suites): " + File.ReadAllText(lenetNote).Trim());
        }

        return report;
    }
}
