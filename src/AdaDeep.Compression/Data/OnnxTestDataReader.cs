using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads the ONNX test-data layout: <c>test_data_set_N/input_0.pb</c> (a serialized TensorProto whose first
/// dimension is the batch), either one such folder or a model folder holding several. No labels.
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
        foreach (var folder in folders)
        {
            var file = Path.Combine(folder, InputFile);
            var (shape, values) = ReadTensor(file);
            if (sampleShape is null)
            {
                sampleShape = shape;
            }
            else if (!sampleShape.SequenceEqual(shape))
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                    $"samples of shape [{string.Join(",", shape)}] differ from the earlier sets' [{string.Join(",", sampleShape)}]", file);
            }

            x.AddRange(values);
        }

        return new Dataset(x.ToArray(), sampleShape ?? new[] { 1 }, null, source);
    }

    /// <summary>The per-sample shape (the tensor's shape without its batch dimension) and the values.</summary>
    private static (int[] SampleShape, float[] Values) ReadTensor(string file)
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

        var dims = tensor.Dims.Select(d => (int)d).ToArray();
        return (dims.Length >= 2 ? dims[1..] : dims.Length == 1 ? dims : new[] { 1 }, values);
    }
}
