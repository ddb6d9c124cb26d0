using System.Diagnostics;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Training;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Models;

/// <summary>
/// LeNet-5 trained on MNIST (LeNet5 + SupervisedTrainer), cached as .data/bench/lenet5-mnist.onnx so that reruns
/// (quick or full) skip training. Delete the file to retrain.
/// </summary>
public static class LeNetProvider
{
    public const string FileName = "lenet5-mnist.onnx";

    /// <summary>Training bound: at most this many epochs or this long, whichever comes first (2 shared cores here).</summary>
    public static readonly TimeSpan TrainingBudget = TimeSpan.FromSeconds(180);

    public const int MaxEpochs = 3;

    public static string EnsureTrained(RepoLayout repo)
    {
        var path = Path.Combine(repo.BenchData, FileName);
        if (File.Exists(path))
        {
            Console.WriteLine($"LeNet-5: using the cached model {path}");
            return path;
        }

        repo.RequireMnist();
        Directory.CreateDirectory(repo.BenchData);
        Console.WriteLine($"LeNet-5: training on MNIST (at most {MaxEpochs} epochs or {TrainingBudget.TotalSeconds:0} s) ...");
        var watch = Stopwatch.StartNew();
        var train = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MnistPart: "train"));
        var options = new SupervisedTrainOptions(MaxEpochs: MaxEpochs, BatchSize: 64, LearningRate: 1e-3, Patience: 2,
            TimeBudget: TrainingBudget, Seed: 0, ValidationFraction: 0.1);
        var result = SupervisedTrainer.TrainDetailed(LeNet5.Build(seed: 0), train, options);
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        result.Model.Save(temporary);
        File.Move(temporary, path, overwrite: true);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"),
            $"LeNet-5 seed 0 trained on 90% of the MNIST training set: {result.Steps} steps of 64, {result.Epochs} epochs, " +
            $"stopped by {result.StopReason}, {watch.Elapsed.TotalSeconds:0} s; validation {result.ValAccuracyBefore:P2} -> {result.ValAccuracyAfter:P2}\n");
        Console.WriteLine($"LeNet-5: trained in {watch.Elapsed.TotalSeconds:0} s ({result.Epochs} epochs, validation {result.ValAccuracyAfter:P2}); cached at {path}");
        return path;
    }

    public static OnnxModel Load(RepoLayout repo) => OnnxModel.Load(EnsureTrained(repo));
}
