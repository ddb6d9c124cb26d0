using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>A constant tensor's values (as floats) and shape.</summary>
internal sealed record ConstantTensor(float[] Values, long[] Dims)
{
    public long Count => Values.LongLength;
}

/// <summary>
/// Finds the constant value behind a node input: an initializer, a Constant node, or a Reshape/Identity of
/// constants (mnist-8 reshapes its fc weight in the graph). Rewrites then store the folded result.
/// </summary>
internal static class Constants
{
    public static ConstantTensor? TryFloat(GraphIndex index, string value)
    {
        var t = TryTensor(index, value, 0);
        if (t is null || t.DataType is not (TensorData.Float or (int)TensorProto.Types.DataType.Double))
        {
            return null;
        }

        return new ConstantTensor(TensorData.ToFloats(t), t.Dims.ToArray());
    }

    public static long[]? TryInt64s(GraphIndex index, string value)
    {
        var t = TryTensor(index, value, 0);
        return t is null || t.DataType is not (TensorData.Int64 or TensorData.Int32) ? null : TensorData.ToInt64s(t);
    }

    /// <summary>The constant tensor behind a value, folding Reshape and Identity; null when not constant.</summary>
    public static TensorProto? TryTensor(GraphIndex index, string value, int depth = 0)
    {
        if (string.IsNullOrEmpty(value) || depth > 8)
        {
            return null;
        }

        if (index.Constant(value) is { } direct)
        {
            return direct;
        }

        var producer = index.Producer(value);
        if (producer is null)
        {
            return null;
        }

        switch (producer.OpType)
        {
            case "Identity":
                return TryTensor(index, producer.Input[0], depth + 1);
            case "Reshape" when producer.Input.Count >= 2:
            {
                var data = TryTensor(index, producer.Input[0], depth + 1);
                var shapeTensor = TryTensor(index, producer.Input[1], depth + 1);
                if (data is null || shapeTensor is null)
                {
                    return null;
                }

                var dims = ReshapeDims(data.Dims.ToArray(), TensorData.ToInt64s(shapeTensor), producer.GetInt("allowzero", 0) != 0);
                if (dims is null)
                {
                    return null;
                }

                var folded = data.Clone();
                folded.Dims.Clear();
                folded.Dims.AddRange(dims);
                folded.Name = value;
                return folded;
            }
            default:
                return null;
        }
    }

    /// <summary>Output dims of an ONNX Reshape (0 copies the input dim unless allowzero, -1 is inferred).</summary>
    public static long[]? ReshapeDims(long[] input, long[] shape, bool allowZero)
    {
        var total = input.Aggregate(1L, (a, b) => a * b);
        var dims = new long[shape.Length];
        var infer = -1;
        long known = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            var d = shape[i];
            if (d == 0 && !allowZero)
            {
                if (i >= input.Length)
                {
                    return null;
                }

                d = input[i];
            }

            if (d == -1)
            {
                if (infer >= 0)
                {
                    return null;
                }

                infer = i;
                continue;
            }

            if (d < 0)
            {
                return null;
            }

            dims[i] = d;
            known *= d;
        }

        if (infer >= 0)
        {
            if (known == 0 || total % known != 0)
            {
                return null;
            }

            dims[infer] = total / known;
        }

        return dims.Aggregate(1L, (a, b) => a * b) == total ? dims : null;
    }
}
