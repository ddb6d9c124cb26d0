using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Analysis;

/// <summary>
/// Decides which node owns each constant: the first node that reads it directly, or, for constants behind a
/// weight-decoding chain, the first node that reads the decoded weight. Every constant is counted once.
/// </summary>
internal sealed class WeightAttribution
{
    private readonly IReadOnlyDictionary<string, TensorProto> _constants;
    private readonly IReadOnlyDictionary<string, NodeProto> _producers;
    private readonly HashSet<NodeProto> _decoding;
    private readonly HashSet<string> _counted = new(StringComparer.Ordinal);

    public WeightAttribution(
        IReadOnlyDictionary<string, TensorProto> constants,
        IReadOnlyDictionary<string, NodeProto> producers,
        HashSet<NodeProto> decoding)
    {
        _constants = constants;
        _producers = producers;
        _decoding = decoding;
    }

    /// <summary>Parameters and bytes a node owns, and whether its input 1 (the weight of Conv/Gemm/MatMul) is constant.</summary>
    public readonly record struct NodeWeights(long Parameters, long Bytes, bool ConstantWeight);

    public NodeWeights Attribute(NodeProto node)
    {
        if (node.OpType == "Constant" || _decoding.Contains(node))
        {
            return new NodeWeights(0, 0, false);
        }

        long parameters = 0, bytes = 0;
        var constantWeight = false;
        for (var i = 0; i < node.Input.Count; i++)
        {
            var name = node.Input[i];
            if (name.Length == 0 || !IsConstantOrDecoded(name))
            {
                continue;
            }

            if (i == 1)
            {
                constantWeight = true;
            }

            if (OperatorTraits.IsNonWeightInput(node.OpType, i))
            {
                continue;
            }

            var (p, b) = Collect(name);
            parameters += p;
            bytes += b;
        }

        return new NodeWeights(parameters, bytes, constantWeight);
    }

    /// <summary>
    /// Decoding nodes whose result no other node reads (a decoded weight that is a graph output) keep the
    /// constants nobody else claimed, so the totals still cover every weight.
    /// </summary>
    public void AttributeOrphans(IEnumerable<NodeProto> nodes, Dictionary<NodeProto, NodeWeights> weights)
    {
        foreach (var node in nodes.Where(_decoding.Contains))
        {
            long parameters = 0, bytes = 0;
            for (var i = 0; i < node.Input.Count; i++)
            {
                var name = node.Input[i];
                if (_constants.TryGetValue(name, out var tensor) && _counted.Add(name))
                {
                    bytes += TensorData.StoredBytes(tensor);
                    parameters += OperatorTraits.IsNonWeightInput(node.OpType, i) ? 0 : TensorData.ElementCount(tensor);
                }
            }

            if (parameters > 0 || bytes > 0)
            {
                weights[node] = new NodeWeights(parameters, bytes, false);
            }
        }
    }

    private bool IsConstantOrDecoded(string name) =>
        _constants.ContainsKey(name) || (_producers.TryGetValue(name, out var p) && _decoding.Contains(p));

    /// <summary>Walks back from a value through decoding nodes to the constants it is made of.</summary>
    private (long Parameters, long Bytes) Collect(string value)
    {
        long parameters = 0, bytes = 0;
        var stack = new Stack<(string Value, bool IsWeight)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        stack.Push((value, true));
        while (stack.Count > 0)
        {
            var (name, isWeight) = stack.Pop();
            if (!seen.Add(name))
            {
                continue;
            }

            if (_constants.TryGetValue(name, out var tensor))
            {
                if (_counted.Add(name))
                {
                    bytes += TensorData.StoredBytes(tensor);
                    parameters += isWeight ? TensorData.ElementCount(tensor) : 0;
                }

                continue;
            }

            if (_producers.TryGetValue(name, out var producer) && _decoding.Contains(producer))
            {
                for (var i = 0; i < producer.Input.Count; i++)
                {
                    if (producer.Input[i].Length > 0)
                    {
                        stack.Push((producer.Input[i], isWeight && !OperatorTraits.IsNonWeightInput(producer.OpType, i)));
                    }
                }
            }
        }

        return (parameters, bytes);
    }
}
