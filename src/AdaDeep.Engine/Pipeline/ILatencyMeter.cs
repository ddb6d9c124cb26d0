using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>Measures a model's inference latency on this machine; the speed gate's only source of timings, so tests can inject figures.</summary>
public interface ILatencyMeter
{
    double MeasureMs(OnnxModel model);
}
