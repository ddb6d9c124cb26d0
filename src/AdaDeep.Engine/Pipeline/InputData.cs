using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The data a run measures accuracy on and fine-tunes with: the user's data set; else the ONNX test_data_set_N
/// folders next to the model; else seeded synthetic inputs (accuracy is then agreement with the original model,
/// and a warning says so).
/// </summary>
public static class InputData
{
    public const int SyntheticSamples = 128;

    /// <summary>How the source of synthetic data begins (see <see cref="IsReal"/>).</summary>
    public const string SyntheticSource = "synthetic";

    /// <summary>True for the user's data set and the model's test_data_set inputs, false for synthetic inputs.</summary>
    public static bool IsReal(Dataset data) => !data.Source.StartsWith(SyntheticSource, StringComparison.Ordinal);

    public static Dataset Load(CompressRequest request, OnnxModel model, List<string> warnings)
    {
        Dataset data;
        var file = request.ModelPath ?? "model";
        if (request.DatasetPath is { } path)
        {
            data = DatasetLoader.Load(path);
        }
        else if (request.ModelPath is { } modelPath && HasTestDataSets(Path.GetDirectoryName(Path.GetFullPath(modelPath))!))
        {
            data = DatasetLoader.Load(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
            warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no data set given; using the {data.Count} unlabelled test_data_set inputs next to the model (accuracy is agreement with the original model)");
        }
        else
        {
            data = Synthetic(model, request.EffectiveSeed);
            warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no data set given; accuracy is agreement with the original model on {data.Count} synthetic inputs, which says little about real accuracy — pass --dataset");
        }

        data.CheckMatches(model);
        return data.ConformTo(model);
    }

    /// <summary>Search samples (a small validation batch), validation (held out from fine-tuning) and training data.</summary>
    public static (Dataset Search, Dataset Validation, Dataset Train) SplitForPipeline(this Dataset data, int seed, int searchSamples)
    {
        if (data.Count < 4)
        {
            // Too few samples to hold any out: measure and fine-tune on the same ones.
            return (data, data, data);
        }

        var (train, validation) = data.Split(0.3, seed);
        return (validation.Take(Math.Min(searchSamples, validation.Count)), validation, train);
    }

    private static bool HasTestDataSets(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateDirectories(folder, "test_data_set_*").Any();

    private static Dataset Synthetic(OnnxModel model, int seed)
    {
        var index = new GraphIndex(model.Graph);
        var input = index.RuntimeInputs.FirstOrDefault()
            ?? throw new AdaDeepException(ErrorCodes.ModelInvalidShape, "the model has no runtime input", model.SourcePath);
        var dims = input.Type?.TensorType?.Shape?.Dim.Skip(1).Select(d => d.HasDimValue && d.DimValue > 0 ? (int)d.DimValue : 1).ToArray()
            ?? throw new AdaDeepException(ErrorCodes.ModelInvalidShape, $"input '{input.Name}' has no tensor shape", model.SourcePath);
        var size = dims.Aggregate(1, (a, b) => a * b);
        var rng = new Random(seed);
        var x = new float[size * SyntheticSamples];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextDouble();
        }

        return new Dataset(x, dims, null, $"{SyntheticSource} uniform [0,1) inputs, seed {seed}");
    }
}
