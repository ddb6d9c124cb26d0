namespace AdaDeep.Compression.Data;

/// <summary>
/// Values for one model input other than the primary one (<see cref="Dataset.X"/>): a recurrent state, a mask, an
/// int64 sample rate. <see cref="PerSample"/> feeds hold one tensor of <see cref="Shape"/> per sample (the batch
/// dimension not included) and travel with the samples through Take, Subset and Split; constant feeds are one whole
/// tensor of <see cref="Shape"/> fed as it is with every batch. Values are kept as doubles and converted to the
/// input's element type (float, float16, int64, bool, …) when fed; doubles hold every int64 up to 2^53 exactly.
/// </summary>
public sealed record InputFeed(string Name, int[] Shape, double[] Values, bool PerSample, string Source)
{
    public int Size => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>The feed restricted to the samples at <paramref name="indices"/> (constant feeds are unchanged).</summary>
    public InputFeed Subset(IReadOnlyList<int> indices)
    {
        if (!PerSample)
        {
            return this;
        }

        var size = Size;
        var values = new double[indices.Count * size];
        for (var i = 0; i < indices.Count; i++)
        {
            Values.AsSpan(indices[i] * size, size).CopyTo(values.AsSpan(i * size, size));
        }

        return this with { Values = values };
    }

    /// <summary>A constant feed: <paramref name="values"/> as one tensor of <paramref name="shape"/>.</summary>
    public static InputFeed Constant(string name, int[] shape, double[] values, string source) =>
        new(name, shape, values, false, source);
}
