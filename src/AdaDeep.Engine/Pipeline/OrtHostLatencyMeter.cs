using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// ONNX Runtime on this host, one thread, all graph optimisations (<see cref="OrtLatencyMeter"/>): the median of at
/// least 51 runs after 10 warm-ups (more for models of microseconds, up to the meter's caps).
/// </summary>
public sealed class OrtHostLatencyMeter : ILatencyMeter
{
    public const int Warmup = 10;

    public const int Runs = 51;

    public static readonly OrtHostLatencyMeter Instance = new();

    public double MeasureMs(OnnxModel model) => OrtLatencyMeter.MeasureMs(model.ToBytes(), Warmup, Runs);
}
