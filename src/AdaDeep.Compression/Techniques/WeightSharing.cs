using AdaDeep.Compression.Techniques.Quantization;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>Bits of the shared-weight codebooks: Deep Compression used 5 for fc and 8 for conv layers.</summary>
public sealed record WeightSharingOptions(int FcBits = 5, int ConvBits = 8)
{
    public static WeightSharingOptions Default { get; } = new();

    /// <summary>"fc5-conv8": how reports and cache keys name these settings.</summary>
    public override string ToString() => $"fc{FcBits}-conv{ConvBits}";
}

/// <summary>
/// The quantisation stage of Deep Compression, applied to a whole (pruned, fine-tuned) model after the search's
/// rewrites: every float weight of a Conv, Gemm or MatMul is replaced by its k-means centroids
/// (<see cref="KMeansCodebook"/>, FcBits or ConvBits), every float bias is rounded to fp16. The graph stays plain
/// float; <see cref="Packing.WeightPacker"/> then stores those weights as a codebook and packed indices (sparse
/// relative-index form when pruned) and the biases as fp16, exactly. Int8 weights (Q8W) are left as they are.
/// </summary>
public static class WeightSharing
{
    public static OnnxModel Apply(OnnxModel model, WeightSharingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var shared = model.Clone();
        var initializers = shared.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in shared.Graph.Node)
        {
            if (node.OpType is not ("Conv" or "Gemm" or "MatMul"))
            {
                continue;
            }

            var bits = node.OpType == "Conv" ? options.ConvBits : options.FcBits;
            for (var input = 0; input < node.Input.Count && input < 3; input++)
            {
                if (!initializers.TryGetValue(node.Input[input], out var tensor) || tensor.DataType != TensorData.Float ||
                    tensor.Dims.Count == 0 || !done.Add(tensor.Name))
                {
                    continue;
                }

                var values = TensorData.ToFloats(tensor);
                var isBias = input == 2 || tensor.Dims.Count == 1;
                var replaced = isBias ? values.Select(v => (float)(Half)v).ToArray() : KMeansCodebook.Quantize(values, bits);
                var fresh = TensorData.FromFloats(tensor.Name, tensor.Dims.ToArray(), replaced);
                fresh.MetadataProps.AddRange(tensor.MetadataProps);
                tensor.FloatData.Clear();
                tensor.RawData = fresh.RawData;
                tensor.FloatData.AddRange(fresh.FloatData);
            }
        }

        return shared;
    }
}
