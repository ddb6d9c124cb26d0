namespace AdaDeep.Compression.Techniques.Quantization;

/// <summary>
/// Weight sharing by 1-D k-means (Deep Compression, Han et al. 2016, section 3.1): the non-zero weights of a tensor
/// are clustered into at most 2^bits − 1 centroids (index 0 stays reserved for the pruned zeros), starting from
/// centroids spaced linearly between the smallest and largest weight (the paper's best initialisation, since it
/// keeps the rare large weights), then Lloyd iterations until assignments stop changing. Zeros stay exact zeros.
/// Centroids are rounded to fp16 so the codebook ships in half the bytes, exactly. Deterministic.
/// </summary>
public static class KMeansCodebook
{
    public const int MaxIterations = 30;

    /// <summary>The weights replaced by their centroids (same length; zeros kept).</summary>
    public static float[] Quantize(float[] values, int bits)
    {
        if (bits is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), "weight sharing takes 1..8 bits");
        }

        var nonZero = values.Where(v => v != 0 && float.IsFinite(v)).Select(v => (double)v).Order().ToArray();
        var result = (float[])values.Clone();
        if (nonZero.Length == 0)
        {
            return result;
        }

        var k = Math.Min((1 << bits) - 1, nonZero.Length);
        var centroids = Centroids(nonZero, k);
        for (var i = 0; i < result.Length; i++)
        {
            if (result[i] != 0 && float.IsFinite(result[i]))
            {
                result[i] = (float)(Half)centroids[Nearest(centroids, result[i])];
            }
        }

        return result;
    }

    /// <summary>k centroids of sorted 1-D data, ascending.</summary>
    public static double[] Centroids(double[] sorted, int k)
    {
        var min = sorted[0];
        var max = sorted[^1];
        var centroids = Enumerable.Range(0, k).Select(j => k == 1 ? (min + max) / 2 : min + (max - min) * j / (k - 1)).ToArray();
        var assignment = new int[sorted.Length];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var changed = false;
            var sums = new double[k];
            var counts = new int[k];
            for (var i = 0; i < sorted.Length; i++)
            {
                var j = Nearest(centroids, sorted[i]);
                changed |= j != assignment[i] || iteration == 0;
                assignment[i] = j;
                sums[j] += sorted[i];
                counts[j]++;
            }

            for (var j = 0; j < k; j++)
            {
                if (counts[j] > 0)
                {
                    centroids[j] = sums[j] / counts[j]; // an empty cluster keeps its place
                }
            }

            Array.Sort(centroids);
            if (!changed)
            {
                break;
            }
        }

        return centroids;
    }

    private static int Nearest(double[] ascending, double value)
    {
        var at = Array.BinarySearch(ascending, value);
        if (at >= 0)
        {
            return at;
        }

        var above = ~at;
        if (above == 0)
        {
            return 0;
        }

        if (above == ascending.Length)
        {
            return ascending.Length - 1;
        }

        return value - ascending[above - 1] <= ascending[above] - value ? above - 1 : above;
    }
}
