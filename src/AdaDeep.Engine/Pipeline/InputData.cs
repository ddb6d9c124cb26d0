using AdaDeep.Compression.Data;
using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The data a run measures accuracy on and fine-tunes with: the user's data set; else the ONNX test_data_set_N
/// folders next to the model; else seeded synthetic inputs (accuracy is then agreement with the original model,
/// and a warning says so). Every runtime input is fed (the data's arrays by name, then --input constants), and the
/// real input shapes are resolved (--input-shape, else the data), see <see cref="Prepared"/>.
/// </summary>
public static class InputData
{
    public const int SyntheticSamples = 128;

    /// <summary>
    /// What a run works on: <see cref="Data"/> bound to every runtime input; <see cref="Shapes"/>, the resolved input
    /// shapes; <see cref="Working"/>, the original with those shapes pinned and in float32 (fp16 models), which the
    /// search, fine-tuning and cost estimates use. The original itself stays the reference of the final validation.
    /// </summary>
    public sealed record Prepared(Dataset Data, InputShapes Shapes, OnnxModel Working, bool Float16);

    /// <summary>The prepared data alone (bound to every input of <paramref name="model"/> at its real shapes).</summary>
    public static Dataset Load(CompressRequest request, OnnxModel model, List<string> warnings) => Prepare(request, model, warnings).Data;

    public static Prepared Prepare(CompressRequest request, OnnxModel model, List<string> warnings)
    {
        var file = request.ModelPath ?? "model";
        var specs = InputShapeSpec.ParseAll(request.InputShapes);
        var constants = request.Inputs
            .SelectMany(s => s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => InputValueSpec.Parse(s))
            .ToArray();
        var runtime = new GraphIndex(model.Graph).RuntimeInputs;
        foreach (var constant in constants)
        {
            if (runtime.All(i => i.Name != constant.Name) || runtime[0].Name == constant.Name)
            {
                throw new AdaDeepException(ErrorCodes.InputSpecInvalid, runtime.Any(i => i.Name == constant.Name)
                    ? $"--input {constant.Name}=…: '{constant.Name}' is the model's first input, which the data set or synthetic samples feed"
                    : $"--input {constant.Name}=…: the model has no runtime input '{constant.Name}' (its inputs: {string.Join(", ", runtime.Select(i => i.Name))})",
                    model.SourcePath);
            }
        }

        Dataset? data = null;
        var modelFolder = request.ModelPath is { } modelPath ? Path.GetDirectoryName(Path.GetFullPath(modelPath))! : null;
        if (request.DatasetPath is { } path)
        {
            data = DatasetLoader.Load(path);
        }
        else if (modelFolder is not null && HasTestDataSets(modelFolder))
        {
            data = DatasetLoader.Load(modelFolder);
            warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no data set given; using the {data.Count} unlabelled test_data_set inputs next to the model (accuracy is agreement with the original model)");
        }

        if (data is not null)
        {
            data = constants.Aggregate(InputBinding.Bind(data, model), (d, c) => d.WithFeed(c));
        }

        var withConstants = constants.Aggregate(data ?? new Dataset(Array.Empty<float>(), new[] { 1 }, null, "none"), (d, c) => d.WithFeed(c));
        var shapes = InputShapes.Resolve(model, specs, data ?? withConstants with { SampleShape = Array.Empty<int>() });
        if (data is null)
        {
            data = Synthetic(shapes, request.EffectiveSeed) with { Extras = withConstants.Extras };
            warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no data set given; accuracy is agreement with the original model on {data.Count} synthetic inputs at {shapes.Inputs[0]}, which says little about real accuracy — pass --dataset");
        }

        data = InputBinding.Fill(data, shapes);
        InputBinding.CheckAllFed(data, model);
        var pinned = shapes.Pin(model);
        data.CheckMatches(pinned);
        data = data.ConformTo(pinned);
        var float16 = Float16Graph.Uses(model);
        return new Prepared(data, shapes, Float16Graph.ToFloat32(pinned), float16);
    }

    /// <summary>One sample's values per input, for the latency meter (the first input's first sample, the others' feeds).</summary>
    public static IReadOnlyDictionary<string, InputTensor> LatencyFeeds(OnnxModel model, Dataset data)
    {
        var feeds = new Dictionary<string, InputTensor>(StringComparer.Ordinal);
        var runtime = new GraphIndex(model.Graph).RuntimeInputs;
        if (runtime.Count == 0 || data.Count == 0)
        {
            return feeds;
        }

        var first = runtime[0];
        var rank = first.Type?.TensorType?.Shape?.Dim.Count ?? data.SampleShape.Length + 1;
        if (rank == data.SampleShape.Length + 1)
        {
            feeds[first.Name] = new InputTensor(data.Sample(0).ToArray().Select(v => (double)v).ToArray(), data.SampleShape.Select(d => (long)d).Prepend(1).ToArray());
        }

        foreach (var input in runtime.Skip(1))
        {
            if (data.Feed(input.Name) is not { } feed)
            {
                continue;
            }

            var inputRank = input.Type?.TensorType?.Shape?.Dim.Count ?? feed.Shape.Length;
            var values = feed.PerSample ? feed.Values.AsSpan(0, feed.Size).ToArray() : feed.Values;
            var shape = feed.Shape.Select(d => (long)d);
            feeds[input.Name] = new InputTensor(values, (inputRank == feed.Shape.Length + 1 ? shape.Prepend(1) : shape).ToArray());
        }

        return feeds;
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

    /// <summary>Seeded U[0,1) samples for the first input at its resolved shape (never a guessed 1 for a free dimension).</summary>
    private static Dataset Synthetic(InputShapes shapes, int seed)
    {
        var input = shapes.Inputs.FirstOrDefault()
            ?? throw new AdaDeepException(ErrorCodes.ModelInvalidShape, "the model has no runtime input");
        var dims = input.Shape.Skip(1).Select(d => checked((int)d)).ToArray();
        var size = dims.Aggregate(1, (a, b) => a * b);
        var rng = new Random(seed);
        var x = new float[checked(size * SyntheticSamples)];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)rng.NextDouble();
        }

        return new Dataset(x, dims, null, $"synthetic uniform [0,1) inputs, seed {seed}");
    }
}
