using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Labelled (or unlabelled) samples in memory: X is row-major float32 with SampleShape per sample
/// (e.g. [1,28,28]); Labels is null when the data set has none (accuracy is then top-1 agreement with
/// the original model). X feeds the model's first runtime input (the primary one); a model with more inputs gets
/// the others from <see cref="Extras"/> by name (per-sample arrays or constants, see <see cref="InputFeed"/>).
/// </summary>
public sealed record Dataset(float[] X, int[] SampleShape, int[]? Labels, string Source)
{
    /// <summary>Feeds for the model's other inputs, by input name; empty for a single-input model.</summary>
    public IReadOnlyList<InputFeed> Extras { get; init; } = Array.Empty<InputFeed>();

    /// <summary>The input name X was stored under (an npz array or input_K.pb's tensor name); null when unnamed.</summary>
    public string? PrimaryName { get; init; }

    /// <summary>The feed for input <paramref name="name"/>, or null.</summary>
    public InputFeed? Feed(string name) => Extras.FirstOrDefault(e => e.Name == name);

    /// <summary>This data set with <paramref name="feed"/> added (replacing a feed of the same name).</summary>
    public Dataset WithFeed(InputFeed feed) =>
        this with { Extras = Extras.Where(e => e.Name != feed.Name).Append(feed).ToArray() };

    public int SampleSize => SampleShape.Aggregate(1, (a, b) => a * b);

    public int Count => SampleSize == 0 ? 0 : X.Length / SampleSize;

    public bool HasLabels => Labels is not null;

    /// <summary>The values of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Sample(int index) => X.AsSpan(index * SampleSize, SampleSize);

    /// <summary>The first <paramref name="count"/> samples (all of them when there are fewer).</summary>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var n = Math.Min(count, Count);
        return this with
        {
            X = X.AsSpan(0, n * SampleSize).ToArray(),
            Labels = Labels?.AsSpan(0, n).ToArray(),
            Extras = Extras.Select(e => e.Subset(Enumerable.Range(0, n).ToArray())).ToArray(),
        };
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices)
    {
        var size = SampleSize;
        var x = new float[indices.Count * size];
        var labels = Labels is null ? null : new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var j = indices[i];
            if ((uint)j >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"sample index {j} is outside 0..{Count - 1}");
            }

            Sample(j).CopyTo(x.AsSpan(i * size, size));
            if (labels is not null)
            {
                labels[i] = Labels![j];
            }
        }

        return this with { X = x, Labels = labels, Extras = Extras.Select(e => e.Subset(indices)).ToArray() };
    }

    /// <summary>
    /// A seeded random split: <paramref name="validationFraction"/> of the samples (at least one when there are two
    /// or more) go to Validation, the rest to Train. The same seed gives the same split.
    /// </summary>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, int seed)
    {
        if (validationFraction is < 0 or > 1 || double.IsNaN(validationFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), "must lie in [0, 1]");
        }

        var order = ShuffledIndices(Count, seed);
        var validationCount = (int)Math.Round(Count * validationFraction);
        if (validationFraction > 0 && validationCount == 0 && Count >= 2)
        {
            validationCount = 1;
        }

        return (Subset(order[validationCount..]), Subset(order[..validationCount]));
    }

    /// <summary>The same samples seen with another per-sample shape of equal size (e.g. [1,28,28] as [784]).</summary>
    public Dataset Reshape(int[] sampleShape)
    {
        if (sampleShape.Aggregate(1, (a, b) => a * b) != SampleSize)
        {
            throw new AdaDeepException(ErrorCodes.DatasetShapeMismatch,
                $"samples of shape [{string.Join(",", SampleShape)}] cannot be viewed as [{string.Join(",", sampleShape)}]", Source);
        }

        return this with { SampleShape = (int[])sampleShape.Clone() };
    }

    /// <summary>
    /// Checks that the samples fit the model's first runtime input (the batch dimension is free; symbolic dimensions
    /// match anything). A sample shape of another rank but the same element count is accepted (see
    /// <see cref="ConformTo"/>). Throws DatasetShapeMismatch otherwise.
    /// </summary>
    public void CheckMatches(OnnxModel model) => _ = ModelSampleShape(model);

    /// <summary>The data set with the sample shape the model's first input expects (after <see cref="CheckMatches"/>).</summary>
    public Dataset ConformTo(OnnxModel model)
    {
        var shape = ModelSampleShape(model);
        return shape.All(d => d > 0) && !shape.SequenceEqual(SampleShape) ? Reshape(shape) : this;
    }

    /// <summary>A seeded Fisher–Yates permutation of 0..count-1 (System.Random with a seed is stable across runs).</summary>
    public static int[] ShuffledIndices(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>The model's per-sample input shape; -1 where a dimension is symbolic.</summary>
    private int[] ModelSampleShape(OnnxModel model)
    {
        var input = new GraphIndex(model.Graph).RuntimeInputs.FirstOrDefault()
                    ?? throw new AdaDeepException(ErrorCodes.DatasetShapeMismatch, "the model has no runtime input to feed", model.SourcePath);
        var dims = input.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue && d.DimValue > 0 ? (int)d.DimValue : -1).ToArray();
        if (dims is null || dims.Length == 0)
        {
            return SampleShape; // shape unknown: nothing to check against
        }

        var sampleDims = dims[1..];
        var describe = $"the model input '{input.Name}' has shape [{string.Join(",", dims.Select(d => d < 0 ? "?" : d.ToString()))}]";
        if (sampleDims.Length == SampleShape.Length)
        {
            for (var i = 0; i < sampleDims.Length; i++)
            {
                if (sampleDims[i] > 0 && sampleDims[i] != SampleShape[i])
                {
                    throw new AdaDeepException(ErrorCodes.DatasetShapeMismatch,
                        $"{describe} but the data set's samples are [{string.Join(",", SampleShape)}] (dimension {i + 1} differs)", Source);
                }
            }

            return sampleDims.Select((d, i) => d > 0 ? d : SampleShape[i]).ToArray();
        }

        if (sampleDims.All(d => d > 0) && sampleDims.Aggregate(1, (a, b) => a * b) == SampleSize)
        {
            return sampleDims;
        }

        throw new AdaDeepException(ErrorCodes.DatasetShapeMismatch,
            $"{describe} but the data set's samples are [{string.Join(",", SampleShape)}]", Source);
    }
}
