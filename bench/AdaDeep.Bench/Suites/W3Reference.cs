using AdaDeep.Bench.Models;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// The paper's Table 5 baseline, "the DNN compressed using W3": W3 on every layer it applies to, fine-tuned and packed
/// exactly as the pipeline finishes its chosen candidate (same data splits, fine-tuning, and accuracy on the test split), so
/// that the optimizers' figures can be divided by it.
/// </summary>
public sealed record W3Reference(string Layers, double Accuracy, double StorageMB, long Macs, double LatencyMs, double EnergyMJ)
{
    public static W3Reference Build(CompressRequest request)
    {
        var original = OnnxModel.Load(request.ModelPath!);
        var device = DeviceCatalog.Default.Resolve(request.Device);
        var warnings = new List<string>();
        var data = InputData.LoadSplits(request, original, warnings);
        var (validation, train) = (data.Validation, data.FineTune);
        var options = TechniqueOptions.Default with { PruneSparsity = request.PruneSparsity };
        var (pruned, layers) = TechniqueApplier.Apply(original, "W3", TechniqueApplier.ApplicableLayers(original, "W3"), options);
        var tuned = FineTuning.Run(original, pruned, train, validation, request, CancellationToken.None, _ => { }, warnings);
        var packed = WeightPacker.Pack(tuned.Model);
        var costs = CompressPipeline.Costs(packed, device);
        var accuracy = AccuracyEvaluator.Evaluate(packed, data.Test, original).Accuracy; // the test split, as the pipeline reports
        return new W3Reference(string.Join("+", layers), accuracy, costs.WeightMB, costs.Macs, costs.MeasuredLatencyMs ?? costs.LatencyMs, costs.EnergyMJ);
    }
}
