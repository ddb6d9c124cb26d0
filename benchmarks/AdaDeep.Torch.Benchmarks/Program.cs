using System.Diagnostics;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Training;
using AdaDeep.Onnx.Model;

// Figures for docs/torch.md on real data. From the repository root, after scripts/fetch-data.sh:
//   dotnet run -c Release --project benchmarks/AdaDeep.Torch.Benchmarks -- mnist8
//   dotnet run -c Release --project benchmarks/AdaDeep.Torch.Benchmarks -- lenet5 [seconds=300] [epochs=10]
//   dotnet run -c Release --project benchmarks/AdaDeep.Torch.Benchmarks -- distill-mnist8 [prune=0.8] [seconds=120] [samples=10000]
var root = FindRoot();
var mnist = Path.Combine(root, ".data", "mnist");
var command = args.FirstOrDefault() ?? "mnist8";
double Arg(int i, double fallback) => args.Length > i ? double.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, TorchSharp threads {TorchSharp.torch.get_num_threads()}, load average {LoadAverage()}");
switch (command)
{
    case "mnist8":
        Mnist8Accuracy();
        break;
    case "lenet5":
        TrainLeNet5(TimeSpan.FromSeconds(Arg(1, 300)), (int)Arg(2, 10));
        break;
    case "distill-mnist8":
        DistillPrunedMnist8(Arg(1, 0.8), TimeSpan.FromSeconds(Arg(2, 120)), (int)Arg(3, 10000));
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}' (known: mnist8, lenet5, distill-mnist8)");
        return 2;
}

Console.WriteLine($"load average at the end {LoadAverage()}");
return 0;

void Mnist8Accuracy()
{
    var model = OnnxModel.Load(Path.Combine(root, "models", "mnist-8", "model.onnx"));
    var watch = Stopwatch.StartNew();
    var test = DatasetLoader.Load(mnist); // t10k part, raw pixel values 0–255 as mnist-8 expects
    var loaded = watch.Elapsed;
    var result = AccuracyEvaluator.Evaluate(model, test);
    Console.WriteLine($"mnist-8 on the MNIST test set: {result.Describe()} (load {loaded.TotalSeconds:F1} s, evaluate {(watch.Elapsed - loaded).TotalSeconds:F1} s)");
}

void TrainLeNet5(TimeSpan budget, int epochs)
{
    var train = DatasetLoader.Load(mnist, new DatasetLoadOptions(MnistPart: "train"));
    var test = DatasetLoader.Load(mnist);
    var model = LeNet5.Build(seed: 0);
    var options = new SupervisedTrainOptions(MaxEpochs: epochs, BatchSize: 64, LearningRate: 1e-3, Patience: 2, TimeBudget: budget, Seed: 0, ValidationFraction: 0.1);
    var progress = new ConsoleProgress();
    var result = SupervisedTrainer.TrainDetailed(model, train, options, progress);
    var accuracy = AccuracyEvaluator.Evaluate(result.Model, test);
    Console.WriteLine($"LeNet-5 trained on {train.Count * 0.9:F0} MNIST training images ({result.Steps} steps of 64, {result.Epochs} epochs, best epoch {result.BestEpoch}, stopped by {result.StopReason}) in {result.Elapsed.TotalSeconds:F0} s; " +
                      $"validation {result.ValAccuracyBefore:P2} -> {result.ValAccuracyAfter:P2}; test: {accuracy.Describe()}");
}

void DistillPrunedMnist8(double pruneFraction, TimeSpan budget, int samples)
{
    var teacher = OnnxModel.Load(Path.Combine(root, "models", "mnist-8", "model.onnx"));
    var student = MagnitudePrune(teacher, pruneFraction);
    var train = DatasetLoader.Load(mnist, new DatasetLoadOptions(MnistPart: "train"));
    var (rest, validation) = train.Split(0.05, seed: 1);
    var subset = rest.Take(samples);
    var test = DatasetLoader.Load(mnist);
    var before = AccuracyEvaluator.Evaluate(student, test);
    var result = Distiller.FineTune(teacher, student, subset, validation.Take(1000),
        new FineTuneOptions(MaxEpochs: 20, BatchSize: 32, LearningRate: 1e-3, Patience: 3, TimeBudget: budget, Seed: 0), new ConsoleProgress());
    var after = AccuracyEvaluator.Evaluate(result.Model, test);
    var zerosKept = CountZeros(result.Model) >= CountZeros(student);
    Console.WriteLine($"mnist-8 with {pruneFraction:P0} of each weight tensor magnitude-pruned: test {before.Describe()}; " +
                      $"after distillation from the original on {subset.Count} training images ({result.Steps} steps, {result.Epochs} epochs, best {result.BestEpoch}, {result.StopReason}, {result.Elapsed.TotalSeconds:F0} s): test {after.Describe()}; " +
                      $"validation {result.ValAccuracyBefore:P2} -> {result.ValAccuracyAfter:P2}; pruned zeros kept: {zerosKept}");
}

static OnnxModel MagnitudePrune(OnnxModel model, double fraction)
{
    var pruned = model.Clone();
    for (var i = 0; i < pruned.Graph.Initializer.Count; i++)
    {
        var t = pruned.Graph.Initializer[i];
        if (t.DataType != TensorData.Float || TensorData.ElementCount(t) < 100)
        {
            continue;
        }

        var values = TensorData.ToFloats(t);
        var threshold = values.Select(Math.Abs).Order().ElementAt((int)(values.Length * fraction));
        pruned.Graph.Initializer[i] = TensorData.FromFloats(t.Name, t.Dims.ToArray(), values.Select(v => Math.Abs(v) < threshold ? 0f : v).ToArray());
    }

    return pruned;
}

static long CountZeros(OnnxModel model) =>
    model.Graph.Initializer.Where(t => t.DataType == TensorData.Float).Sum(t => TensorData.ToFloats(t).Count(v => v == 0f));

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

static string FindRoot()
{
    for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "AdaDeep.Build.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from inside the repository");
}

/// <summary>Prints each epoch's validation figure and a line every 200 steps.</summary>
sealed class ConsoleProgress : IProgress<FineTuneProgress>
{
    public void Report(FineTuneProgress p)
    {
        if (p.IsEpochEnd)
        {
            Console.WriteLine($"  epoch {p.Epoch}/{p.MaxEpochs}: validation {p.ValAccuracy:P2} at {p.Elapsed.TotalSeconds:F0} s");
        }
        else if (p.Step % 200 == 0)
        {
            Console.WriteLine($"  epoch {p.Epoch} step {p.Step}/{p.StepsPerEpoch}: loss {p.Loss:F4} at {p.Elapsed.TotalSeconds:F0} s");
        }
    }
}
