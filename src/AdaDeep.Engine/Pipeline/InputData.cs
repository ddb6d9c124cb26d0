using System.Globalization;
using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The data of a run, split honestly (<see cref="PipelineData"/>). The training pool is the user's data set (an MNIST
/// IDX folder with both parts: its <c>train</c> part), else the ONNX test_data_set_N folders next to the model, else
/// seeded synthetic inputs (accuracy is then agreement with the original model, and a warning says so); at most
/// <see cref="CompressRequest.EffectiveTrainSamples"/> of it, a seeded choice. The test split is --test-dataset, else
/// the <c>t10k</c> part of a two-part IDX folder, else a seeded share of the pool held out before anything else.
/// </summary>
public static class InputData
{
    public const int SyntheticSamples = 128;

    /// <summary>Share of the training pool held out from fine-tuning as the validation split.</summary>
    public const double ValidationFraction = 0.3;

    /// <summary>Share of the pool held out as the test split when no test data is given.</summary>
    public const double TestFraction = 0.2;

    public static PipelineData Load(CompressRequest request, OnnxModel model, List<string> warnings)
    {
        var file = request.ModelPath ?? DefaultModel.DisplayName;
        if (request.TrainSamples is < 1)
        {
            throw new AdaDeepException(ErrorCodes.TrainSamplesInvalid, $"--train-samples must be a whole number ≥ 1, not {request.TrainSamples}", request.ModelPath);
        }

        var seed = request.EffectiveSeed;
        var inv = CultureInfo.InvariantCulture;
        var (pool, poolSource, impliedTestPath) = LoadPool(request, model, warnings, file);
        pool = Conform(pool, model);
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
            test = Conform(DatasetLoader.Load(testPath), model);
            testSource = test.Source + " (--test-dataset)";
        }
        else if (impliedTestPath is not null)
        {
            test = Conform(DatasetLoader.Load(impliedTestPath, new DatasetLoadOptions(MnistPart: DatasetLoader.MnistTestPart)), model);
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

        var (fineTune, validation) = pool.Split(ValidationFraction, seed);
        var search = validation.Take(Math.Min(request.SearchValidationSamples, validation.Count));
        var validationSource = string.Format(inv, "{0}, a seeded {1:P0} held out from fine-tuning", poolSource, ValidationFraction);
        return new PipelineData(search, validation, fineTune, test, Describe(
            search, $"the first {search.Count} of the validation split",
            validation, validationSource,
            fineTune, string.Format(inv, "{0}, the rest", poolSource),
            test, testSource));
    }

    /// <summary>The training pool, where it comes from, and the folder whose test part is the test split (or null).</summary>
    private static (Dataset Pool, string Source, string? ImpliedTestPath) LoadPool(CompressRequest request, OnnxModel model, List<string> warnings, string file)
    {
        if (request.DatasetPath is { } path)
        {
            if (DatasetLoader.HasBothMnistParts(path))
            {
                var train = DatasetLoader.Load(path, new DatasetLoadOptions(MnistPart: DatasetLoader.MnistTrainPart));
                return (train, train.Source, request.TestDatasetPath is null ? path : null);
            }

            var data = DatasetLoader.Load(path);
            return (data, data.Source, null);
        }

        if (request.ModelPath is { } modelPath && HasTestDataSets(Path.GetDirectoryName(Path.GetFullPath(modelPath))!))
        {
            var data = DatasetLoader.Load(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
            warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no data set given; using the {data.Count} unlabelled test_data_set inputs next to the model (accuracy is agreement with the original model)");
            return (data, "the test_data_set inputs next to the model", null);
        }

        var synthetic = Synthetic(model, request.EffectiveSeed);
        warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no data set given; accuracy is agreement with the original model on {synthetic.Count} synthetic inputs, which says little about real accuracy — pass --dataset");
        return (synthetic, synthetic.Source, null);
    }

    private static Dataset Conform(Dataset data, OnnxModel model)
    {
        data.CheckMatches(model);
        return data.ConformTo(model);
    }

    /// <summary>Samples of the test data that also lie in the training pool make the test accuracy optimistic.</summary>
    private static void WarnOnOverlap(Dataset pool, Dataset test, string file, List<string> warnings)
    {
        var shared = SampleFingerprint.CountIn(test, SampleFingerprint.All(pool));
        if (shared > 0)
        {
            warnings.Add(string.Format(CultureInfo.InvariantCulture,
                "{0}: warning {1}: {2:N0} of the {3:N0} test samples also appear in the training data, so the test accuracy is optimistic — give a --test-dataset the model was not trained on",
                file, ErrorCodes.TestOverlapsTraining, shared, test.Count));
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

        return new Dataset(x, dims, null, $"synthetic uniform [0,1) inputs, seed {seed}");
    }
}
