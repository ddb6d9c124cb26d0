using System.Globalization;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The cache key of a request, from the same <see cref="CacheKey"/> function and the same inputs as the MSBuild task
/// (AdaDeep.Build.Tasks ModelPlan.KeyInputs): the options as the user gave them, the device as a catalog id or a
/// profile file's bytes, and the engine identity of the folder the tool runs from.
/// </summary>
public static class EngineCacheKey
{
    public static string For(CompressRequest request, OnnxModel original) => CacheKey.Compute(Inputs(request, original));

    /// <summary>The key before the model is loaded (it depends on the model's bytes only), e.g. to ask a remote cache first.</summary>
    public static string For(CompressRequest request) => CacheKey.Compute(Inputs(request));

    public static CacheKeyInputs Inputs(CompressRequest request, OnnxModel? original = null) => new()
    {
        EngineVersion = CacheKey.EngineIdentity(AppContext.BaseDirectory),
        ModelSha256 = request.ModelPath is { } path ? CacheKey.HashFile(path) : CacheKey.HashBytes(DefaultModel.Bytes()),
        DeviceIdentity = DeviceIdentity(request),
        LatencyBudgetMs = request.LatencyBudgetMs,
        StorageBudgetMB = request.StorageBudgetMB,
        EnergyBudgetMJ = request.EnergyBudgetMJ,
        MinAccuracy = request.MinAccuracy,
        MaxAccuracyDrop = request.MaxAccuracyDrop,
        DatasetHash = CacheKey.DatasetHash(request.DatasetPath),
        TestDatasetHash = CacheKey.DatasetHash(request.TestDatasetPath),
        Optimizer = request.Optimizer,
        Seed = request.Seed,
        TimeBudgetSeconds = request.TimeBudgetSeconds,

        // CLI-only settings (the MSBuild task never sets them): absent at their defaults, so the task's key and the
        // CLI's agree for the same item, and any other value keeps two runs from sharing an entry.
        FineTuneEpochs = request.FineTuneEpochs == CompressRequest.DefaultFineTuneEpochs ? null : request.FineTuneEpochs,
        SearchSettings = CacheKey.FormatSettings(SearchSettings(request)),
    };

    /// <summary>The search settings a user may choose beyond the item's metadata, as given (null: not chosen).</summary>
    private static IEnumerable<KeyValuePair<string, string?>> SearchSettings(CompressRequest request)
    {
        yield return new("episodes", request.Episodes?.ToString(CultureInfo.InvariantCulture));
        yield return new("train_samples", request.TrainSamples?.ToString(CultureInfo.InvariantCulture));
        yield return new("allow_lossy", request.AllowLossy ? "true" : null);
        yield return new("min_agreement", request.MinAgreement is null ? null : CacheKey.FormatNumber(request.MinAgreement));
        yield return new("input_shape", CacheKey.InputSettings(request.InputShapes));
        yield return new("inputs", CacheKey.InputSettings(request.Inputs));
        yield return new("techniques", request.Techniques is { } ids ? string.Join(",", ids) : null);
        yield return new("shared-weights", request.WeightSharing?.ToString());
        yield return new("prune_steps", request.PruneSteps?.ToString(CultureInfo.InvariantCulture));
        yield return new("distillation_weight", request.DistillationWeight == CompressRequest.DefaultDistillationWeight ? null : CacheKey.FormatNumber(request.DistillationWeight));
        yield return new("fine_tune_schedule", request.FineTuneSchedule == LearningRateSchedule.Constant ? null : "cosine");
        yield return new("validation_dataset", CacheKey.DatasetHash(request.ValidationDatasetPath));
        yield return new("search_fine_tune_samples", request.SearchFineTuneSamples == CompressRequest.DefaultSearchFineTuneSamples ? null : request.SearchFineTuneSamples.ToString(CultureInfo.InvariantCulture));
    }

    private static string DeviceIdentity(CompressRequest request)
    {
        if (DeviceCatalog.IsYamlPath(request.Device))
        {
            return CacheKey.DeviceIdentityForProfile(request.Device);
        }

        var identity = CacheKey.DeviceIdentityForCatalogId(request.Device);

        // Extra --profile files can redefine a catalog id; their bytes then decide the device (the build task never
        // passes --profile, it passes the profile file as the device, handled above).
        return request.ProfilePaths.Count == 0
            ? identity
            : identity + "+" + string.Join("+", request.ProfilePaths.Select(CacheKey.HashFile));
    }
}
