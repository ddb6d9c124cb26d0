using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Project;

/// <summary>
/// One AdaDeepModel item of one device variant of the project, as the build would see it: the item read by the
/// shared <see cref="ModelItemSettings"/>, the cache key the build task would compute, and whether that key is cached.
/// </summary>
public sealed record ModelVariant(
    EvaluatedProject Project,
    EvaluatedModelItem Item,
    ModelItemSettings Settings,
    string? Variant,
    string CacheRoot,
    string EngineIdentity,
    string? Key,
    CacheProbeResult? Cache)
{
    /// <summary>The device shown to people: the catalog id, the profile's file name, or "-" when none resolved.</summary>
    public string Device => Settings.DeviceName ?? "-";

    public bool IsValid => Settings.IsValid && Key is not null;

    public bool IsCached => Cache?.Status == CacheStatus.Cached;
}
