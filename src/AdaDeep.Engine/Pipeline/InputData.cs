using System.Globalization;
using AdaDeep.Compression.Data;
using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The data a run measures accuracy on and fine-tunes with: the user's data set; else the ONNX test_data_set_N
/// folders next to the model; else seeded synthetic inputs (accuracy is then agreement with the original model,
/// and a warning says so). Every runtime input is fed (the data's arrays by name, then --input constants), and the
/// real input shapes are resolved (--input-shape, else the data) and pinned where ONNX Runtime accepts them
/// (<see cref="PinnedShapeFallback"/>), see <see cref="Prepared"/>. An MNIST IDX folder
/// with both parts gives its <c>train</c> part. <see cref="Split"/> then splits it honestly (<see cref="PipelineData"/>):
/// at most <see cref="CompressRequest.EffectiveTrainSamples"/> of it (a seeded choice) for search and fine-tuning, and
/// a test split that nothing learns from: --test-dataset, else the <c>t10k</c> part of a two-part IDX folder, else a
/// seeded share of the data held out before anything else.
/// </summary>
public static class InputData
{
    public const int SyntheticSamples = 128;

    /// <summary>Share of the training pool held out from fine-tuning as the validation split.</summary>
    public const double ValidationFraction = 0.3;

    /// <summary>Share of the pool held out as the test split when no test data is given.</summary>
    public const double TestFraction = 0.2;
    /// <summary>How the source of synthetic data begins (see <see cref="IsReal"/>).</summary>
    public const string SyntheticSource = "synthetic";

    /// <summary>True for the user's data set and the model's test_data_set inputs, false for synthetic inputs.</summary>
    public static bool IsReal(Dataset data) => !data.Source.StartsWith(SyntheticSource, StringComparison.Ordinal);

    /// <summary>
    /// What a run works on: <see cref="Data"/> bound to every runtime input; <see cref="Shapes"/>, the resolved input
    /// shapes; <see cref="Working"/>, the original with those shapes pinned and in float32 (fp16 models), which the
    /// search, fine-tuning and cost estimates use. The original itself stays the reference of the final validation.
    /// </summary>
    public sealed record Prepared(Dataset Data, InputShapes Shapes, OnnxModel Working, bool Float16);

    /// <summary>The prepared data alone (bound to every input of <paramref name="model"/> at its real shapes).</summary>
    public static Dataset Load(CompressRequest request, OnnxModel model, List<string> warnings) => Prepare(request, model, warnings).Data;

    /// <summary>The prepared data split for the pipeline (<see cref="Prepare"/> then <see cref="Split"/>).</summary>
    public static PipelineData LoadSplits(CompressRequest request, OnnxModel model, List<string> warnings) =>
        Split(request, model, Prepare(request, model, warnings), warnings);

    private static InputFeed[] Constants(CompressRequest request) => request.Inputs
        .SelectMany(s => s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Select(s => InputValueSpec.Parse(s))
        .ToArray();

    public static Prepared Prepare(CompressRequest request, OnnxModel model, List<string> warnings)
    {
        var file = request.ModelPath ?? "model";
        var specs = InputShapeSpec.ParseAll(request.InputShapes);
        var constants = Constants(request);
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
            data = DatasetLoader.HasBothMnistParts(path)
                ? DatasetLoader.Load(path, new DatasetLoadOptions(MnistPart: DatasetLoader.MnistTrainPart))
                : DatasetLoader.Load(path);
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
        // ORT may refuse the pinned copy of a model it runs as given: then pin only what it accepts (ADA1103).
        shapes = PinnedShapeFallback.Check(model, shapes, data, file, warnings);
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

    /// <summary>
    /// Splits the prepared data honestly: the test split is loaded (--test-dataset, else the t10k part of a two-part
    /// IDX --dataset) and bound to the model's inputs like the data, or held out from the data first; the rest (at most
    /// --train-samples, a seeded choice) is split into fine-tune and validation, and the search measures on the first
    /// validation samples.
    /// </summary>
    public static PipelineData Split(CompressRequest request, OnnxModel model, Prepared prepared, List<string> warnings)
    {
        var file = request.ModelPath ?? DefaultModel.DisplayName;
        if (request.TrainSamples is < 1)
        {
            throw new AdaDeepException(ErrorCodes.TrainSamplesInvalid, $"--train-samples must be a whole number ≥ 1, not {request.TrainSamples}", request.ModelPath);
        }

        if (request.SearchFineTuneSamples < 1)
        {
            throw new AdaDeepException(ErrorCodes.TrainSamplesInvalid, $"--search-fine-tune-samples must be a whole number ≥ 1, not {request.SearchFineTuneSamples}", request.ModelPath);
        }

        if (!(request.DistillationWeight is >= 0 and <= 1))
        {
            throw new AdaDeepException(ErrorCodes.FineTuneSettingInvalid, $"--distillation-weight must lie in [0, 1], not {request.DistillationWeight.ToString(CultureInfo.InvariantCulture)}", request.ModelPath);
        }

        var seed = request.EffectiveSeed;
        var inv = CultureInfo.InvariantCulture;
        var pool = prepared.Data;
        var poolSource = request.DatasetPath is null && pool.Source.StartsWith("synthetic", StringComparison.Ordinal) ? pool.Source
            : request.DatasetPath is null ? "the test_data_set inputs next to the model" : pool.Source;
        var bound = request.EffectiveTrainSamples;
        if (pool.Count > bound)
        {
            // Fine-tuning cost grows with the pool; a seeded choice keeps runs reproducible and the classes mixed.
            poolSource = string.Format(inv, "{0} (a seeded {1:N0} of its {2:N0} samples)", poolSource, bound, pool.Count);
            pool = pool.Subset(Dataset.ShuffledIndices(pool.Count, seed)[..bound]);
        }

        Dataset? test = null;
        string testSource;
        if (request.TestDatasetPath is { } testPath)
        {
            test = BindLikeData(DatasetLoader.Load(testPath), request, model, prepared.Shapes);
            testSource = test.Source + " (--test-dataset)";
        }
        else if (request.DatasetPath is { } path && DatasetLoader.HasBothMnistParts(path))
        {
            test = BindLikeData(DatasetLoader.Load(path, new DatasetLoadOptions(MnistPart: DatasetLoader.MnistTestPart)), request, model, prepared.Shapes);
            testSource = test.Source + " (the test part of the IDX folder)";
        }
        else
        {
            testSource = string.Format(inv, "{0}, a seeded {1:P0} held out before search and fine-tuning", poolSource, TestFraction);
        }

        if (pool.Count < (test is null ? 5 : 4))
        {
            // Too few samples to hold any out: measure and fine-tune on the same ones, and say so.
            warnings.Add(string.Format(inv, "{0}: warning {1}: only {2} samples: search, fine-tuning{3} use the same samples, so the reported accuracy is not a test accuracy — pass a larger --dataset{4}",
                file, ErrorCodes.SplitsShareSamples, pool.Count, test is null ? " and the reported accuracy" : "", test is null ? " or a --test-dataset" : ""));
            var all = test ?? pool;
            return new PipelineData(pool, pool, pool, all, Describe(pool, poolSource, pool, poolSource, pool, poolSource, all, test is null ? poolSource : testSource))
            {
                SplitsShareSamples = test is null,
            };
        }

        if (test is null)
        {
            (pool, test) = pool.Split(TestFraction, seed);
        }
        else
        {
            WarnOnOverlap(pool, test, file, warnings);
        }

        Dataset fineTune, validation;
        string validationSource, fineTuneSource;
        if (request.ValidationDatasetPath is { } validationPath)
        {
            // The user's own validation split: all of the data fine-tunes, the split judges.
            validation = BindLikeData(DatasetLoader.Load(validationPath), request, model, prepared.Shapes);
            if (validation.Count == 0)
            {
                throw new AdaDeepException(ErrorCodes.DatasetMalformed, $"the validation data set '{validationPath}' has no samples", request.ModelPath);
            }

            WarnOnOverlap(pool, validation, file, warnings, "validation");
            fineTune = pool;
            validationSource = validation.Source + " (--validation-dataset)";
            fineTuneSource = poolSource;
        }
        else
        {
            (fineTune, validation) = pool.Split(ValidationFraction, seed);
            validationSource = string.Format(inv, "{0}, a seeded {1:P0} held out from fine-tuning", poolSource, ValidationFraction);
            fineTuneSource = string.Format(inv, "{0}, the rest", poolSource);
        }

        var search = validation.Take(Math.Min(request.SearchValidationSamples, validation.Count));
        return new PipelineData(search, validation, fineTune, test, Describe(
            search, $"the first {search.Count} of the validation split",
            validation, validationSource,
            fineTune, fineTuneSource,
            test, testSource));
    }

    /// <summary>Test data fed to the model exactly as the training data is: the same input binding, constants and shapes.</summary>
    private static Dataset BindLikeData(Dataset test, CompressRequest request, OnnxModel model, InputShapes shapes)
    {
        test = Constants(request).Aggregate(InputBinding.Bind(test, model), (d, c) => d.WithFeed(c));
        test = InputBinding.Fill(test, shapes);
        InputBinding.CheckAllFed(test, model);
        var pinned = shapes.Pin(model);
        test.CheckMatches(pinned);
        return test.ConformTo(pinned);
    }

    /// <summary>Samples of a held-out split (test or validation) that also lie in the training pool make its accuracy optimistic.</summary>
    private static void WarnOnOverlap(Dataset pool, Dataset heldOut, string file, List<string> warnings, string split = "test")
    {
        var shared = SampleFingerprint.CountIn(heldOut, SampleFingerprint.All(pool));
        if (shared > 0)
        {
            warnings.Add(string.Format(CultureInfo.InvariantCulture,
                "{0}: warning {1}: {2:N0} of the {3:N0} {4} samples also appear in the training data, so the {4} accuracy is optimistic — give a --{4}-dataset the model was not trained on",
                file, ErrorCodes.TestOverlapsTraining, shared, heldOut.Count, split));
        }
    }

    private static IReadOnlyList<DataSplit> Describe(Dataset search, string searchSource, Dataset validation, string validationSource,
        Dataset fineTune, string fineTuneSource, Dataset test, string testSource) => new[]
    {
        new DataSplit(DataSplit.Names.Search, searchSource, search.Count, "accuracy of the search's candidates"),
        new DataSplit(DataSplit.Names.Validation, validationSource, validation.Count, "accuracy floor, fine-tune model choice, ONNX Runtime check"),
        new DataSplit(DataSplit.Names.FineTune, fineTuneSource, fineTune.Count, "training (candidates' quick fine-tune and the final fine-tune)"),
        new DataSplit(DataSplit.Names.Test, testSource, test.Count, "the reported accuracy only (never searched or trained on)"),
    };

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

        return new Dataset(x, dims, null, $"{SyntheticSource} uniform [0,1) inputs, seed {seed}");
    }
}
