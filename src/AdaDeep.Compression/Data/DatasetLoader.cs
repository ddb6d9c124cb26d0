using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Loads a data set from disk, choosing the reader from what the path holds:
/// <list type="bullet">
/// <item>a <c>.npz</c> archive (array <c>x</c>, optional integer labels <c>y</c>) or a lone <c>.npy</c> (no labels);</item>
/// <item>an ONNX <c>test_data_set_N</c> folder, or a model folder holding several (inputs from input_0.pb; no labels);</item>
/// <item>MNIST IDX: an images file (raw or .gz) or a folder holding one, labels from the matching labels file.</item>
/// </list>
/// Errors: DatasetNotFound (nothing there), DatasetMalformed (with the file at fault).
/// </summary>
public static class DatasetLoader
{
    public static Dataset Load(string path, DatasetLoadOptions? options = null)
    {
        options ??= new DatasetLoadOptions();
        var data = LoadRaw(path, options);
        if (options.MaxSamples is { } max)
        {
            data = data.Take(max);
        }

        if (options.Scale != 1f)
        {
            var scaled = new float[data.X.Length];
            for (var i = 0; i < scaled.Length; i++)
            {
                scaled[i] = data.X[i] * options.Scale;
            }

            data = data with { X = scaled };
        }

        if (data.Count == 0)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, "the data set holds no samples", path);
        }

        return data;
    }

    /// <summary>The MNIST part names: training and test.</summary>
    public const string MnistTrainPart = "train";

    public const string MnistTestPart = "t10k";

    /// <summary>
    /// True when <paramref name="path"/> is an MNIST IDX folder holding both parts (train and t10k images): the
    /// pipeline then trains on the first and reports on the second.
    /// </summary>
    public static bool HasBothMnistParts(string path) =>
        Directory.Exists(path) && !OnnxTestDataReader.IsTestDataSet(path) && OnnxTestDataReader.TestDataSets(path).Count == 0
        && IdxReader.HasPart(path, MnistTrainPart) && IdxReader.HasPart(path, MnistTestPart);

    private static Dataset LoadRaw(string path, DatasetLoadOptions options)
    {
        if (Directory.Exists(path))
        {
            return LoadFolder(path, options);
        }

        if (!File.Exists(path))
        {
            throw new AdaDeepException(ErrorCodes.DatasetNotFound, $"data set '{path}' does not exist", path);
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        try
        {
            return extension switch
            {
                ".npz" => NpzReader.ReadNpz(path),
                ".npy" => NpzReader.ReadNpy(path),
                ".pb" => OnnxTestDataReader.Read(new[] { Path.GetDirectoryName(Path.GetFullPath(path))! }, path),
                _ when IdxReader.LooksLikeIdx(path) => IdxReader.Read(path),
                _ => throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                    "unrecognised data set format (expected .npz, .npy, an ONNX test_data_set folder or MNIST IDX files)", path),
            };
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"cannot read the data set: {e.Message}", path, e);
        }
    }

    private static Dataset LoadFolder(string folder, DatasetLoadOptions options)
    {
        if (OnnxTestDataReader.IsTestDataSet(folder))
        {
            return OnnxTestDataReader.Read(new[] { folder }, folder);
        }

        var sets = OnnxTestDataReader.TestDataSets(folder);
        if (sets.Count > 0)
        {
            return OnnxTestDataReader.Read(sets, folder);
        }

        if (IdxReader.FindImages(folder, options.MnistPart) is { } images)
        {
            return IdxReader.Read(images);
        }

        throw new AdaDeepException(ErrorCodes.DatasetNotFound,
            "the folder holds no data set (looked for input_0.pb, test_data_set_*/ and MNIST *images-idx3* files)", folder);
    }
}
