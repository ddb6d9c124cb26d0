using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Devices.Costs;

/// <summary>
/// The cost estimate of a model on a device, with the real latency measured by ONNX Runtime when the profile
/// measures latency (the <c>host</c> profile): <see cref="CostEstimate.LatencyMs"/> stays the roofline figure and
/// <see cref="CostEstimate.MeasuredLatencyMs"/> holds the measurement. Other profiles never run the model.
/// </summary>
public static class LatencyEstimator
{
    public static CostEstimate Estimate(ModelAnalysis analysis, DeviceProfile device, byte[] modelBytes, int threads = 1,
        IReadOnlyDictionary<string, InputTensor>? feeds = null)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        var estimate = CostModel.Estimate(analysis, device);
        return device.MeasuresLatency
            ? estimate with { MeasuredLatencyMs = OrtLatencyMeter.MeasureMs(modelBytes, threads: threads, feeds: feeds) }
            : estimate;
    }
}
