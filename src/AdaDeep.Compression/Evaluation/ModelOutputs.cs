namespace AdaDeep.Compression.Evaluation;

/// <summary>A model's first output for every sample: row-major values, SampleShape per sample (e.g. [10]).</summary>
public sealed record ModelOutputs(float[] Values, int[] SampleShape)
{
    public int SampleSize => SampleShape.Aggregate(1, (a, b) => a * b);

    public int Count => SampleSize == 0 ? 0 : Values.Length / SampleSize;

    public ReadOnlySpan<float> Sample(int index) => Values.AsSpan(index * SampleSize, SampleSize);

    /// <summary>The index of the largest output of each sample (the first one on ties).</summary>
    public int[] Top1()
    {
        var result = new int[Count];
        for (var i = 0; i < result.Length; i++)
        {
            var row = Sample(i);
            var best = 0;
            for (var j = 1; j < row.Length; j++)
            {
                if (row[j] > row[best])
                {
                    best = j;
                }
            }

            result[i] = best;
        }

        return result;
    }
}
