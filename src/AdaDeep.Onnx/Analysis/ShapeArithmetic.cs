using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Analysis;

/// <summary>The arithmetic of ONNX shape rules: numpy broadcasting and the conv/pool output size formulas.</summary>
internal static class ShapeArithmetic
{
    /// <summary>
    /// The largest element or multiply-accumulate count the analysis accepts: 2^53 (9.0e15), beyond any model an edge
    /// device runs and the largest integer a double (the cost model's unit) holds exactly. Larger counts come only from
    /// damaged shapes; they are reported as <c>ModelInvalidShape</c>, never wrapped around.
    /// </summary>
    public const long MaxCount = 1L << 53;

    /// <summary>
    /// The elements a tensor of this shape costs in the cost model, where a 0 (or unknown) dimension counts as 1;
    /// saturates at <see cref="MaxCount"/> + 1. Every inferred shape keeps this at most <see cref="MaxCount"/>.
    /// </summary>
    public static long BoundedElements(IEnumerable<long> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            var factor = Math.Max(1, d);
            if (factor > MaxCount / count)
            {
                return MaxCount + 1;
            }

            count *= factor;
        }

        return count;
    }

    public static bool FitsCount(IEnumerable<long> dims) => BoundedElements(dims) <= MaxCount;

    /// <summary>The product of the dimensions; throws OverflowException past 64 bits (callers report the node).</summary>
    public static long Product(IEnumerable<long> dims)
    {
        long p = 1;
        foreach (var d in dims)
        {
            p = checked(p * d);
        }

        return p;
    }

    /// <summary>Multidirectional (numpy) broadcasting; null when the shapes do not broadcast.</summary>
    public static long[]? Broadcast(IReadOnlyList<long[]> shapes)
    {
        var rank = shapes.Count == 0 ? 0 : shapes.Max(s => s.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            long dim = 1;
            foreach (var s in shapes)
            {
                var j = i - (rank - s.Length);
                if (j < 0)
                {
                    continue;
                }

                var d = s[j];
                if (d == 1)
                {
                    continue;
                }

                if (dim != 1 && dim != d)
                {
                    return null;
                }

                dim = d;
            }

            result[i] = dim;
        }

        return result;
    }

    public static long NormalizeAxis(long axis, int rank) => axis < 0 ? axis + rank : axis;

    /// <summary>
    /// Spatial output sizes of Conv and the pools: explicit pads, or auto_pad SAME_UPPER/SAME_LOWER/VALID,
    /// strides, dilations, and for pools ceil_mode (with the rule that the last window must start inside
    /// the padded input, as ONNX Runtime and PyTorch apply it).
    /// </summary>
    public static long[]? WindowOutput(long[] input, long[] kernel, NodeProto node, bool ceilMode)
    {
        var r = input.Length;
        if (kernel.Length != r)
        {
            return null;
        }

        var strides = node.GetInts("strides", Ones(r));
        var dilations = node.GetInts("dilations", Ones(r));
        var pads = node.GetInts("pads", new long[2 * r]);
        var autoPad = node.GetString("auto_pad", "NOTSET");
        if (strides.Length != r || dilations.Length != r || pads.Length != 2 * r)
        {
            return null;
        }

        var output = new long[r];
        for (var i = 0; i < r; i++)
        {
            var s = strides[i];
            var effectiveKernel = checked((kernel[i] - 1) * dilations[i] + 1);
            if (s <= 0)
            {
                return null;
            }

            switch (autoPad)
            {
                case "SAME_UPPER":
                case "SAME_LOWER":
                    output[i] = CeilDiv(input[i], s);
                    break;
                case "VALID":
                    if (input[i] < effectiveKernel)
                    {
                        return null;
                    }

                    output[i] = (input[i] - effectiveKernel) / s + 1;
                    break;
                default:
                    var span = checked(input[i] + pads[i] + pads[i + r] - effectiveKernel);
                    if (span < 0)
                    {
                        return null;
                    }

                    output[i] = (ceilMode ? CeilDiv(span, s) : span / s) + 1;
                    if (ceilMode && (output[i] - 1) * s >= input[i] + pads[i])
                    {
                        output[i]--;
                    }

                    break;
            }
        }

        return output;
    }

    /// <summary>Spatial output sizes of ConvTranspose (output_shape, auto_pad, output_padding, pads).</summary>
    public static long[]? TransposedWindowOutput(long[] input, long[] kernel, NodeProto node)
    {
        var r = input.Length;
        if (kernel.Length != r)
        {
            return null;
        }

        var explicitShape = node.GetInts("output_shape", Array.Empty<long>());
        if (explicitShape.Length >= r)
        {
            return explicitShape[^r..];
        }

        var strides = node.GetInts("strides", Ones(r));
        var dilations = node.GetInts("dilations", Ones(r));
        var pads = node.GetInts("pads", new long[2 * r]);
        var outputPadding = node.GetInts("output_padding", new long[r]);
        var autoPad = node.GetString("auto_pad", "NOTSET");
        if (strides.Length != r || dilations.Length != r || pads.Length != 2 * r || outputPadding.Length != r)
        {
            return null;
        }

        var output = new long[r];
        for (var i = 0; i < r; i++)
        {
            if (autoPad is "SAME_UPPER" or "SAME_LOWER")
            {
                output[i] = checked(input[i] * strides[i]);
                continue;
            }

            var (pb, pe) = autoPad == "VALID" ? (0L, 0L) : (pads[i], pads[i + r]);
            output[i] = checked(strides[i] * (input[i] - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1 - pb - pe);
        }

        return output.All(d => d > 0) ? output : null;
    }

    public static long CeilDiv(long a, long b) => checked(a + b - 1) / b;

    private static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();
}
