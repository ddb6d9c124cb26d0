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

    public static CacheKeyInputs Inputs(CompressRequest request, OnnxModel original) => new()
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
        Optimizer = OptimizerText(request),
        Seed = request.Seed,
        TimeBudgetSeconds = request.TimeBudgetSeconds,
    };

    /// <summary>
    /// The optimizer as given, plus the CLI-only work bounds (episodes, fine-tune epochs) when set: the MSBuild task
    /// never sets them, so its keys are unchanged, and two CLI runs that differ in them never share an entry.
    /// </summary>
    private static string? OptimizerText(CompressRequest request)
    {
        var extras = new List<string>();
        if (request.Episodes is { } episodes)
        {
            extras.Add($"episodes={episodes}");
        }

        if (request.FineTuneEpochs != CompressRequest.DefaultFineTuneEpochs)
        {
            extras.Add($"fine_tune_epochs={request.FineTuneEpochs}");
        }

        return extras.Count == 0 ? request.Optimizer : $"{request.Optimizer ?? "-"}|{string.Join("|", extras)}";
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
