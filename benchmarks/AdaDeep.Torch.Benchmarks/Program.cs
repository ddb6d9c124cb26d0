using System.Diagnostics;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Model;

// Usage (from the repository root, after scripts/fetch-data.sh):
//   dotnet run -c Release --project benchmarks/AdaDeep.Torch.Benchmarks -- mnist8
var root = FindRoot();
var mnist = Path.Combine(root, ".data", "mnist");
var command = args.FirstOrDefault() ?? "mnist8";
switch (command)
{
    case "mnist8":
        Mnist8Accuracy();
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}' (known: mnist8)");
        return 2;
}

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
