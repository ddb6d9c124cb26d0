using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>
/// Channel count of an NCHW feature map, found by walking back through ops that keep channels
/// (activations, pooling, per-channel affine ops) to the Conv (or Concat of convs) that made it.
/// </summary>
internal static class FeatureMaps
{
    private static readonly HashSet<string> ChannelPreserving = new()
    {
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Clip",
        "MaxPool", "AveragePool", "LpPool", "Dropout", "Identity", "BatchNormalization", "InstanceNormalization", "LRN",
        "Add", "Sub", "Mul", "Div",
    };

    public static int? Channels(GraphIndex index, string value, int depth = 0)
    {
        if (depth > 64)
        {
            return null;
        }

        var producer = index.Producer(value);
        if (producer is null)
        {
            return null;
        }

        if (producer.OpType == "Conv" && producer.Input.Count >= 2)
        {
            var w = Constants.TryTensor(index, producer.Input[1]) ?? DequantizedWeight(index, producer.Input[1]);
            return w is { Dims.Count: >= 3 } ? (int)w.Dims[0] : null;
        }

        if (producer.OpType == "Concat" && producer.GetInt("axis", 1) == 1)
        {
            var total = 0;
            foreach (var input in producer.Input)
            {
                if (Channels(index, input, depth + 1) is not { } c)
                {
                    return null;
                }

                total += c;
            }

            return total;
        }

        if (!ChannelPreserving.Contains(producer.OpType))
        {
            return null;
        }

        // Follow the operand that is an activation (the other one of a binary op is a constant).
        var next = producer.Input.FirstOrDefault(i => i.Length > 0 && !index.IsConstant(i) && Constants.TryTensor(index, i) is null);
        return next is null ? null : Channels(index, next, depth + 1);
    }

    // A weight quantised by Q8W is DequantizeLinear(int8 initializer, ...): its shape is the initializer's.
    private static Onnx.Proto.TensorProto? DequantizedWeight(GraphIndex index, string value)
    {
        var p = index.Producer(value);
        return p is { OpType: "DequantizeLinear" } ? Constants.TryTensor(index, p.Input[0]) : null;
    }
}
