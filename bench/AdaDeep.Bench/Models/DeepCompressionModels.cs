using System.Diagnostics;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Training;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Models;

/// <summary>
/// Deep Compression's MNIST networks (LeNet-300-100 and Caffe's LeNet-5, <see cref="DeepCompressionNets"/>) trained
/// here on MNIST `train` (the 54,000 images of <see cref="MnistTrainSplit"/>; its 6,000 validation images pick the best
/// epoch; never `t10k`), cached under .data/bench so reruns skip training; delete the file to retrain.
/// </summary>
public static class DeepCompressionModels
{
    public sealed record Net(string Label, string FileName, Func<OnnxModel> Build, int MaxEpochs, TimeSpan Budget);

    public static readonly Net LeNet300100 = new("LeNet-300-100", "lenet-300-100-mnist.onnx", () => DeepCompressionNets.LeNet300100(seed: 0), 12, TimeSpan.FromSeconds(420));

    public static readonly Net CaffeLeNet5 = new("LeNet-5 (Caffe)", "lenet5-caffe-mnist.onnx", () => DeepCompressionNets.CaffeLeNet5(seed: 0), 8, TimeSpan.FromSeconds(1200));

    public static IReadOnlyList<Net> All { get; } = new[] { LeNet300100, CaffeLeNet5 };

    public static string EnsureTrained(RepoLayout repo, Net net)
    {
        var path = Path.Combine(repo.BenchData, net.FileName);
        if (File.Exists(path))
        {
            Console.WriteLine($"{net.Label}: using the cached model {path}");
            return path;
        }

        repo.RequireMnist();
        Directory.CreateDirectory(repo.BenchData);
        Console.WriteLine($"{net.Label}: training on MNIST train (at most {net.MaxEpochs} epochs or {net.Budget.TotalSeconds:0} s) ...");
        var watch = Stopwatch.StartNew();
        var train = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MnistPart: "train"));
        var options = new SupervisedTrainOptions(MaxEpochs: net.MaxEpochs, BatchSize: 64, LearningRate: 1e-3, Patience: 3,
            TimeBudget: net.Budget, Seed: MnistTrainSplit.Seed, ValidationFraction: MnistTrainSplit.ValidationFraction);
        var result = SupervisedTrainer.TrainDetailed(net.Build(), train, options);
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        result.Model.Save(temporary);
        File.Move(temporary, path, overwrite: true);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"),
            $"{net.Label} seed 0 trained on 90% of the MNIST training set: {result.Steps} steps of 64, {result.Epochs} epochs, " +
            $"stopped by {result.StopReason}, {watch.Elapsed.TotalSeconds:0} s; validation {result.ValAccuracyBefore:P2} -> {result.ValAccuracyAfter:P2}\n");
        Console.WriteLine($"{net.Label}: trained in {watch.Elapsed.TotalSeconds:0} s ({result.Epochs} epochs, validation {result.ValAccuracyAfter:P2}); cached at {path}");
        return path;
    }
}
