namespace AdaDeep.Compression.Data;

/// <summary>
/// Labelled (or unlabelled) samples in memory: X is row-major float32 with SampleShape per sample
/// (e.g. [1,28,28]); Labels is null when the data set has none (accuracy is then top-1 agreement with
/// the original model).
/// </summary>
public sealed record Dataset(float[] X, int[] SampleShape, int[]? Labels, string Source)
{
    public int SampleSize => SampleShape.Aggregate(1, (a, b) => a * b);

    public int Count => X.Length / SampleSize;

    public bool HasLabels => Labels is not null;
}
