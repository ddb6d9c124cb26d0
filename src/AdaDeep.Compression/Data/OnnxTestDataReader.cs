using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads the ONNX test-data layout: <c>test_data_set_N/input_0.pb</c> (a serialized TensorProto whose first
/// dimension is the batch), either one such folder or a model folder holding several. No labels. A multi-input
/// model's other inputs come from <c>input_1.pb</c>, <c>input_2.pb</c>, … (<see cref="Dataset.Extras"/>, named by the
/// tensor's name, else <c>#K</c> for the K-th runtime input): a tensor whose first dimension is input_0's batch is one
/// row per sample, any other (a scalar sample rate, a state [2,1,128]) is one whole tensor per folder.
/// </summary>
internal static class OnnxTestDataReader
{
    public const string InputFile = "input_0.pb";

    public static bool IsTestDataSet(string folder) => File.Exists(Path.Combine(folder, InputFile));

    public static IReadOnlyList<string> TestDataSets(string folder) =>
        Directory.EnumerateDirectories(folder, "test_data_set_*")
            .Where(IsTestDataSet)
            .OrderBy(d => int.TryParse(Path.GetFileName(d)["test_data_set_".Length..], out var n) ? n : int.MaxValue)
            .ThenBy(d => d, StringComparer.Ordinal)
            .ToList();

    public static Dataset Read(IReadOnlyList<string> folders, string source)
    {
        var x = new List<float>();
        int[]? sampleShape = null;
        string? primaryName = null;
        var extras = new SortedDictionary<int, (string Name, int[] Shape, bool PerSample, List<double> Values)>();
        foreach (var folder in folders)
        {
            var file = Path.Combine(folder, InputFile);
            var (tensor, values) = ReadTensor(file);
            var shape = SampleShapeOf(tensor);
            var batch = tensor.Dims.Count >= 2 ? (int)tensor.Dims[0] : 1;
            if (sampleShape is null)
            {
                sampleShape = shape;
                primaryName = string.IsNullOrEmpty(tensor.Name) ? null : tensor.Name;
            }
            else if (!sampleShape.SequenceEqual(shape))
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                    $"samples of shape [{string.Join(",", shape)}] differ from the earlier sets' [{string.Join(",", sampleShape)}]", file);
            }

            x.AddRange(values);
            foreach (var (k, extraFile) in ExtraFiles(folder))
            {
                var (extra, extraValues) = ReadTensor(extraFile);
                var dims = extra.Dims.Select(d => (int)d).ToArray();
                if (batch > 1 && (dims.Length == 0 || dims[0] != batch))
                {
                    throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                        $"input_0.pb holds a batch of {batch} but this tensor's shape [{string.Join(",", dims)}] does not start with it", extraFile);
                }

                // Rows of a batch are per-sample values without the batch; a batch of one is fed whole (its layout may
                // put the batch elsewhere, as a GRU state [layers, batch, hidden] does).
                var rowShape = batch > 1 ? dims[1..] : dims;
                var name = string.IsNullOrEmpty(extra.Name) ? $"#{k}" : extra.Name;
                if (!extras.TryGetValue(k, out var entry))
                {
                    extras[k] = entry = (name, rowShape, true, new List<double>());
                }
                else if (!entry.Shape.SequenceEqual(rowShape) || entry.Name != name)
                {
                    throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                        $"'{name}' of shape [{string.Join(",", rowShape)}] differs from the earlier sets' '{entry.Name}' [{string.Join(",", entry.Shape)}]", extraFile);
                }

                entry.Values.AddRange(extraValues.Select(v => (double)v));
            }
        }

        var data = new Dataset(x.ToArray(), sampleShape ?? new[] { 1 }, null, source) { PrimaryName = primaryName };
        var feeds = extras.Values.Select(e => new InputFeed(e.Name, e.Shape, e.Values.ToArray(), e.PerSample, source)).ToArray();
        if (feeds.Any(f => f.Values.Length != f.Size * data.Count))
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                "every test_data_set_N folder must hold the same input_K.pb files", source);
        }

        return data with { Extras = feeds };
    }

    /// <summary>input_1.pb, input_2.pb, … of one folder, by index.</summary>
    private static IEnumerable<(int Index, string File)> ExtraFiles(string folder)
    {
        for (var k = 1; File.Exists(Path.Combine(folder, $"input_{k}.pb")); k++)
        {
            yield return (k, Path.Combine(folder, $"input_{k}.pb"));
        }
    }

    private static int[] SampleShapeOf(TensorProto tensor)
    {
        var dims = tensor.Dims.Select(d => (int)d).ToArray();
        return dims.Length >= 2 ? dims[1..] : dims.Length == 1 ? dims : new[] { 1 };
    }

    /// <summary>The tensor and its values (checked: readable, dimensions that fit an int).</summary>
    private static (TensorProto Tensor, float[] Values) ReadTensor(string file)
    {
        TensorProto tensor;
        float[] values;
        try
        {
            // TensorFile checks what a damaged file gets wrong: a data type, negative or overflowing dimensions,
            // values that do not fill the shape.
            tensor = TensorFile.Read(file);
            values = TensorData.ToFloats(tensor);
        }
        catch (AdaDeepException e)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, e.Message, file, e);
        }

        if (tensor.Dims.Any(d => d > int.MaxValue))
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                $"the tensor's shape [{string.Join(",", tensor.Dims)}] has a dimension beyond {int.MaxValue}", file);
        }

        return (tensor, values);
    }
}
