using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Quantization;

/// <summary>Symmetric int8 weights (zero point 0, range ±127) with one scale per output channel or per tensor.</summary>
public sealed record QuantizedWeight(sbyte[] Values, float[] Scales, long[] Dims, int Axis, bool PerChannel)
{
    public float Dequantize(int flatIndex) => Values[flatIndex] * Scales[PerChannel ? ChannelOf(flatIndex) : 0];

    private int ChannelOf(int flatIndex)
    {
        long inner = 1;
        for (var d = Axis + 1; d < Dims.Length; d++)
        {
            inner *= Dims[d];
        }

        return (int)(flatIndex / inner % Dims[Axis]);
    }
}

public static class WeightQuantizer
{
    public static QuantizedWeight Quantize(float[] values, long[] dims, int axis, bool perChannel)
    {
        var channels = perChannel ? (int)dims[axis] : 1;
        long inner = 1;
        for (var d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        int Channel(int i) => perChannel ? (int)(i / inner % channels) : 0;

        var maxAbs = new float[channels];
        for (var i = 0; i < values.Length; i++)
        {
            var c = Channel(i);
            maxAbs[c] = Math.Max(maxAbs[c], Math.Abs(values[i]));
        }

        var scales = maxAbs.Select(m => m > 0 ? m / 127f : 1f).ToArray();
        var q = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            q[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / scales[Channel(i)], MidpointRounding.ToEven), -127, 127);
        }

        return new QuantizedWeight(q, scales, dims, axis, perChannel);
    }

    /// <summary>
    /// Replaces input <paramref name="inputIndex"/> of <paramref name="node"/> (a constant float weight) by
    /// DequantizeLinear(int8 weight, scale, zero point), inserted just before the node.
    /// The session's opset must already be ≥ 13 for per-channel, ≥ 10 otherwise.
    /// </summary>
    internal static void QuantizeInput(RewriteSession s, NodeProto node, int inputIndex, int axis, bool perChannel, string stem)
    {
        var weight = Constants.TryFloat(s.Index, node.Input[inputIndex])!;
        var qw = Quantize(weight.Values, weight.Dims, axis, perChannel);
        var raw = new byte[qw.Values.Length];
        Buffer.BlockCopy(qw.Values, 0, raw, 0, raw.Length);
        var qName = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "_int8"), TensorData.Int8, weight.Dims, raw));
        var scaleDims = perChannel ? new long[] { qw.Scales.Length } : Array.Empty<long>();
        var scale = s.AddFloats(stem + "_scale", scaleDims, qw.Scales);
        var zeroPoint = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "_zero_point"), TensorData.Int8, scaleDims, new byte[qw.Scales.Length]));
        var dequantized = s.Fresh(stem + "_dequantized");
        var dq = s.NewNode("DequantizeLinear", stem + "_dequantize", new[] { qName, scale, zeroPoint }, new[] { dequantized });
        if (perChannel)
        {
            dq.SetInt("axis", axis);
        }

        s.InsertBefore(node, new[] { dq });
        RewriteSession.SetInput(node, inputIndex, dequantized);
    }

    /// <summary>
    /// Replaces input <paramref name="inputIndex"/> of <paramref name="node"/> (a constant float weight) by
    /// Mul(Cast(int8 weight → float), scale): every input is a constant, so ONNX Runtime folds the pair into the fp32
    /// weight once, when the session is created, and the layer then runs its float kernel at the original's speed
    /// (a DequantizeLinear is kept by ORT for its QDQ fusions and runs at every inference). The file keeps the int8
    /// bytes. Per-channel scales broadcast along <paramref name="axis"/> at any opset.
    /// </summary>
    internal static void QuantizeInputFolded(RewriteSession s, NodeProto node, int inputIndex, int axis, bool perChannel, string stem)
    {
        var weight = Constants.TryFloat(s.Index, node.Input[inputIndex])!;
        var qw = Quantize(weight.Values, weight.Dims, axis, perChannel);
        var raw = new byte[qw.Values.Length];
        Buffer.BlockCopy(qw.Values, 0, raw, 0, raw.Length);
        var qName = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "_int8"), TensorData.Int8, weight.Dims, raw));
        var scaleDims = perChannel ? weight.Dims.Select((d, i) => i == axis ? d : 1L).ToArray() : Array.Empty<long>();
        var scale = s.AddFloats(stem + "_scale", scaleDims, qw.Scales);
        var asFloat = s.Fresh(stem + "_float");
        var cast = s.NewNode("Cast", stem + "_cast", new[] { qName }, new[] { asFloat });
        cast.SetInt("to", TensorData.Float);
        var dequantized = s.Fresh(stem + "_dequantized");
        var mul = s.NewNode("Mul", stem + "_scale_mul", new[] { asFloat, scale }, new[] { dequantized });
        s.InsertBefore(node, new[] { cast, mul });
        RewriteSession.SetInput(node, inputIndex, dequantized);
    }

    /// <summary>The output-channel axis of a layer's weight: Conv 0, Gemm 0 with transB else 1, MatMul 1.</summary>
    internal static int OutputAxis(NodeProto node) => node.OpType switch
    {
        "Conv" => 0,
        "Gemm" => node.GetInt("transB", 0) != 0 ? 0 : 1,
        _ => 1,
    };
}
