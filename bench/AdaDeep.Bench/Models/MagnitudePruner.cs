using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Models;

/// <summary>
/// Zeroes the given fraction of smallest-magnitude values in every float initializer of at least 100 values (weights,
/// not biases or shapes) — a plain unstructured pruning, independent of the W3 technique, to see what distillation
/// recovers and whether it keeps the zeros.
/// </summary>
public static class MagnitudePruner
{
    public const int MinValues = 100;

    public static OnnxModel Prune(OnnxModel model, double fraction)
    {
        var pruned = model.Clone();
        for (var i = 0; i < pruned.Graph.Initializer.Count; i++)
        {
            var tensor = pruned.Graph.Initializer[i];
            if (!IsPrunable(tensor))
            {
                continue;
            }

            var values = TensorData.ToFloats(tensor);
            var threshold = values.Select(Math.Abs).Order().ElementAt((int)(values.Length * fraction));
            pruned.Graph.Initializer[i] = TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), values.Select(v => Math.Abs(v) < threshold ? 0f : v).ToArray());
        }

        return pruned;
    }

    /// <summary>Exact zeros over all prunable tensors, and their value count.</summary>
    public static (long Zeros, long Values) CountZeros(OnnxModel model)
    {
        long zeros = 0, values = 0;
        foreach (var tensor in model.Graph.Initializer.Where(IsPrunable))
        {
            var floats = TensorData.ToFloats(tensor);
            zeros += floats.Count(v => v == 0f);
            values += floats.Length;
        }

        return (zeros, values);
    }

    private static bool IsPrunable(AdaDeep.Onnx.Proto.TensorProto tensor) => tensor.DataType == TensorData.Float && TensorData.ElementCount(tensor) >= MinValues;
}
