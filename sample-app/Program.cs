using System.Diagnostics;
using System.Globalization;
using AdaDeep.SampleApp;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// The model was compressed for this build's device by AdaDeep.Build and embedded under a stable LogicalName;
// AdaDeepModels.Mnist8 is the accessor the build generates for that item (obj/AdaDeepModels.g.cs).
var dataFolder = args.Length > 0 ? args[0] : Path.Combine("..", ".data", "mnist");
var limit = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : int.MaxValue;
var modelBytes = AdaDeepModels.Mnist8.ReadAllBytes();

var test = MnistIdx.LoadTestSet(dataFolder);
// Errors only: ORT warns about initializers listed as graph inputs (the IR-3 layout mnist-8 ships with).
using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
using var session = new InferenceSession(modelBytes, options);
var inputName = session.InputMetadata.Keys.First();
var count = Math.Min(test.Count, limit);
var correct = 0;
var clock = new Stopwatch();
for (var i = 0; i < count; i++)
{
    var input = new DenseTensor<float>(test.Image(i), new[] { 1, 1, test.Rows, test.Columns });
    clock.Start();
    using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, input) });
    clock.Stop();
    var scores = results.First().AsEnumerable<float>().ToArray();
    var predicted = Array.IndexOf(scores, scores.Max());
    if (predicted == test.Labels[i])
    {
        correct++;
    }
}

Console.WriteLine($"Embedded model {AdaDeepModels.Mnist8.ResourceName}: {modelBytes.Length:N0} bytes");
Console.WriteLine($"MNIST test set: {correct:N0} of {count:N0} correct, accuracy {(double)correct / count:P2}");
Console.WriteLine($"Mean latency (ONNX Runtime, 1 thread, batch 1): {clock.Elapsed.TotalMilliseconds / count:F4} ms per image");
