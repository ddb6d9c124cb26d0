using AdaDeep.Compression.Techniques.Quantization;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// Q8 (beyond the paper): static QDQ quantisation of one layer. The activation feeding the layer passes through
/// QuantizeLinear → DequantizeLinear (uint8, asymmetric, scale and zero point from the min/max of the activation
/// over the calibration batches in <see cref="TechniqueOptions.Calibration"/>), and the weight is quantised as in
/// Q8W. ONNX Runtime fuses such QDQ groups into integer kernels where it has them and runs them as float
/// otherwise. Without calibration data Apply fails with ADA3102.
/// </summary>
public sealed class StaticQuantizationTechnique : TechniqueBase
{
    public override string Id => "Q8";

    public override string Description => "static int8 QDQ quantisation of activations and weights (calibrated)";

    public override bool NeedsFineTuning => false;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        new WeightQuantizationTechnique().Check(model, index, node);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        if (options.Calibration is null)
        {
            throw new AdaDeepException(ErrorCodes.TechniqueCalibrationMissing,
                $"technique {Id} needs calibration batches (TechniqueOptions.Calibration) to set activation ranges", s.Model.SourcePath);
        }

        var activation = node.Input[0];
        var (min, max) = ActivationCalibrator.Range(s.Model, activation, options.Calibration);
        var (scale, zeroPoint) = UInt8Parameters(min, max);

        var perChannel = WeightQuantizationTechnique.PrepareOpset(s, options.QuantizePerChannel);
        var stem = Stem(node, "q8_input");
        var scaleName = s.AddFloats(stem + "_scale", Array.Empty<long>(), new[] { scale });
        var zpName = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "_zero_point"), TensorData.UInt8, Array.Empty<long>(), new[] { zeroPoint }));
        var quantized = s.Fresh(stem + "_quantized");
        var dequantized = s.Fresh(stem + "_dequantized");
        s.InsertBefore(node, new[]
        {
            s.NewNode("QuantizeLinear", stem + "_quantize", new[] { activation, scaleName, zpName }, new[] { quantized }),
            s.NewNode("DequantizeLinear", stem + "_dequantize", new[] { quantized, scaleName, zpName }, new[] { dequantized }),
        });
        RewriteSession.SetInput(node, 0, dequantized);
        WeightQuantizer.QuantizeInput(s, node, 1, WeightQuantizer.OutputAxis(node), perChannel, Stem(node, "q8_weight"));
    }

    /// <summary>Asymmetric uint8 parameters covering [min(0, lo), max(0, hi)] (zero stays exactly representable).</summary>
    public static (float Scale, byte ZeroPoint) UInt8Parameters(float lo, float hi)
    {
        var rmin = Math.Min(0f, lo);
        var rmax = Math.Max(0f, hi);
        var scale = rmax > rmin ? (rmax - rmin) / 255f : 1f;
        var zp = (byte)Math.Clamp(MathF.Round(-rmin / scale), 0, 255);
        return (scale, zp);
    }
}
