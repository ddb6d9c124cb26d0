using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Measures a model at the input shapes the run resolved (data set, --input-shape), not at whatever the meter would
/// make of a free dimension (ONNX Runtime's inputs fill each free one with 1): an OCR detector timed at 1×1 said
/// 1.42× faster where it is 0.99× at its real 640×640. Free dimensions are pinned on a copy before measuring.
/// </summary>
public sealed class RealShapeLatencyMeter(ILatencyMeter inner, InputShapes shapes) : ILatencyMeter
{
    public double MeasureMs(OnnxModel model) => inner.MeasureMs(shapes.PinsAnything ? shapes.Pin(model) : model);
}
