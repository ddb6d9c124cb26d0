using AdaDeep.Compression.Data;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Torch;

/// <summary>Mini-batches of a <see cref="Dataset"/> as tensors, and batched top-1 prediction with the bridge.</summary>
internal static class TorchBatches
{
    /// <summary>The samples at <paramref name="indices"/> as one [n, sample shape...] float tensor.</summary>
    public static Tensor Inputs(Dataset data, IReadOnlyList<int> indices, int? padTo = null)
    {
        var size = data.SampleSize;
        var n = Math.Max(indices.Count, padTo ?? 0);
        var buffer = new float[n * size];
        for (var i = 0; i < indices.Count; i++)
        {
            data.Sample(indices[i]).CopyTo(buffer.AsSpan(i * size, size));
        }

        return tensor(buffer, new long[] { n }.Concat(data.SampleShape.Select(d => (long)d)).ToArray());
    }

    /// <summary>Rows of a row-major [count, width] array as a [n, width] tensor.</summary>
    public static Tensor Rows(float[] values, int width, IReadOnlyList<int> indices)
    {
        var buffer = new float[indices.Count * width];
        for (var i = 0; i < indices.Count; i++)
        {
            values.AsSpan(indices[i] * width, width).CopyTo(buffer.AsSpan(i * width, width));
        }

        return tensor(buffer, new long[] { indices.Count, width });
    }

    public static Tensor Labels(int[] labels, IReadOnlyList<int> indices) =>
        tensor(indices.Select(i => (long)labels[i]).ToArray(), ScalarType.Int64);

    /// <summary>The batch size the module's graph input fixes (e.g. 1 for mnist-8), or null when it is free.</summary>
    public static int? FixedBatch(TorchGraphModule module) => module.FixedBatch;

    /// <summary>The arg-max class of every sample, in batches (padded to a fixed batch when the graph needs one).</summary>
    public static int[] PredictTop1(TorchGraphModule module, Dataset data, int batch)
    {
        var fixedBatch = module.FixedBatch;
        if (fixedBatch is { } b)
        {
            batch = b;
        }

        var result = new int[data.Count];
        using var _ = no_grad();
        for (var start = 0; start < data.Count; start += batch)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(batch, data.Count - start);
            var indices = Enumerable.Range(start, n).ToArray();
            var output = module.forward(Inputs(data, indices, fixedBatch));
            var top = output.reshape(output.shape[0], -1).argmax(1).data<long>().ToArray();
            for (var i = 0; i < n; i++)
            {
                result[start + i] = (int)top[i];
            }
        }

        return result;
    }
}
