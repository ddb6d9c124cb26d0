using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// The dense weights that a pruned model's weights were pruned from, for <see cref="IterativePruning"/>: for each
/// initializer marked "keep zeros" (<see cref="MagnitudePruningTechnique.KeepZerosKey"/>), the weight the same node
/// (by name, else by first output) reads at the same input in the unpruned model, when it has the same shape and the
/// pruned values are exactly its values with some set to zero. Anything else (a rewrite that also changed the kept
/// values, a layer that is gone) is left out and trains as pruned.
/// </summary>
public static class PrunedWeightOrigins
{
    public static IReadOnlyDictionary<string, float[]> Find(OnnxModel unpruned, OnnxModel pruned)
    {
        ArgumentNullException.ThrowIfNull(unpruned);
        ArgumentNullException.ThrowIfNull(pruned);
        var prunedWeights = pruned.Graph.Initializer
            .Where(t => t.DataType == TensorData.Float && t.MetadataProps.Any(m => m.Key == MagnitudePruningTechnique.KeepZerosKey))
            .ToDictionary(t => t.Name, StringComparer.Ordinal);
        var denseWeights = unpruned.Graph.Initializer.Where(t => t.DataType == TensorData.Float).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var node in pruned.Graph.Node)
        {
            var source = SameNode(unpruned.Graph, node);
            for (var i = 0; source is not null && i < node.Input.Count && i < source.Input.Count; i++)
            {
                if (!prunedWeights.TryGetValue(node.Input[i], out var weight) || node.Input[i] == source.Input[i] ||
                    !denseWeights.TryGetValue(source.Input[i], out var original) || !weight.Dims.SequenceEqual(original.Dims))
                {
                    continue;
                }

                var dense = TensorData.ToFloats(original);
                if (IsPrunedFrom(TensorData.ToFloats(weight), dense))
                {
                    result.TryAdd(weight.Name, dense);
                }
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="pruned"/> equals <paramref name="dense"/> except for more zeros.</summary>
    public static bool IsPrunedFrom(float[] pruned, float[] dense)
    {
        if (pruned.Length != dense.Length)
        {
            return false;
        }

        var zeroed = 0;
        for (var i = 0; i < pruned.Length; i++)
        {
            if (pruned[i] == 0)
            {
                zeroed += dense[i] == 0 ? 0 : 1;
            }
            else if (pruned[i] != dense[i])
            {
                return false;
            }
        }

        return zeroed > 0;
    }

    private static NodeProto? SameNode(GraphProto graph, NodeProto node) =>
        !string.IsNullOrEmpty(node.Name)
            ? graph.Node.FirstOrDefault(n => n.Name == node.Name && n.OpType == node.OpType)
            : graph.Node.FirstOrDefault(n => n.OpType == node.OpType && n.Output.Count > 0 && node.Output.Count > 0 && n.Output[0] == node.Output[0]);
}
