using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Measuring;

/// <summary>Measures models with the project's own tools: ModelAnalyzer, CostModel, OrtLatencyMeter, AccuracyEvaluator.</summary>
public static class ModelMeter
{
    public static ModelFigures Measure(OnnxModel model, DeviceProfile device, int latencyRuns)
    {
        var bytes = model.ToBytes();
        var estimate = CostModel.Estimate(ModelAnalyzer.Analyze(model), device);
        var ort = OrtLatencyMeter.MeasureMs(bytes, warmup: 5, runs: latencyRuns, threads: 1);
        return new ModelFigures(estimate.WeightBits / 8, bytes.LongLength, estimate.Macs, ort, estimate.LatencyMs, estimate.EnergyMJ);
    }

    /// <summary>Top-1 accuracy against labels, or agreement with the reference when the data has none.</summary>
    public static double Accuracy(OnnxModel model, Dataset data, OnnxModel? reference = null) =>
        AccuracyEvaluator.Evaluate(model, data, reference).Accuracy;
}
