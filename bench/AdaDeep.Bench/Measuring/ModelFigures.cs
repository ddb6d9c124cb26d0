namespace AdaDeep.Bench.Measuring;

/// <summary>
/// One model's figures: parameter bytes as they ship (S_p of the cost model), the real file size, MACs, the median
/// ONNX Runtime latency on this machine, and the cost model's latency and energy on a device profile.
/// </summary>
public sealed record ModelFigures(long ParameterBytes, long FileBytes, long Macs, double OrtLatencyMs, double DeviceLatencyMs, double DeviceEnergyMJ);
