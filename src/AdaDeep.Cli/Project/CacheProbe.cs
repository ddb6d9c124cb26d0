using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Project;

/// <summary>Whether an entry is in the cache, as a build would find it.</summary>
public enum CacheStatus
{
    /// <summary>No entry for the key: the build would compress.</summary>
    Missing,

    /// <summary>A sound entry: the build would copy it and start no engine.</summary>
    Cached,

    /// <summary>An entry whose files do not match its manifest: the build would discard it and compress.</summary>
    Damaged,

    /// <summary>A sound entry without the result document (result.json), e.g. from an older engine: the build does not
    /// use it and compresses again.</summary>
    Incomplete,
}

/// <summary>The outcome of a read-only cache look-up: the status, the entry folder, and its files (name → path).</summary>
public sealed record CacheProbeResult(CacheStatus Status, string EntryDirectory, IReadOnlyDictionary<string, string> Files)
{
    public string? FilePath(string name) => Files.TryGetValue(name, out var path) ? path : null;
}

/// <summary>
/// Looks an entry up without side effects: unlike <see cref="CacheStore.TryGet"/> it neither touches the entry's
/// last-used time nor removes a damaged entry, and unlike <see cref="CacheStore.Open"/> it creates no folder, so
/// listing and reporting work on a read-only or absent cache. It checks what TryGet checks: a manifest for this key,
/// every file present, every SHA-256 equal, and (as the build task requires) a result.json.
/// </summary>
public static class CacheProbe
{
    public static CacheProbeResult Probe(string cacheRoot, string key)
    {
        var directory = Path.Combine(cacheRoot, CacheStore.LayoutVersion, key);
        var none = new Dictionary<string, string>();
        var manifestPath = Path.Combine(directory, CacheStore.ManifestFileName);
        if (!Directory.Exists(directory))
        {
            return new CacheProbeResult(CacheStatus.Missing, directory, none);
        }

        try
        {
            var manifest = CacheManifest.Parse(File.ReadAllText(manifestPath));
            if (manifest.Key != key)
            {
                return new CacheProbeResult(CacheStatus.Damaged, directory, none);
            }

            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in manifest.FileSha256)
            {
                var path = Path.Combine(directory, file.Key);
                if (file.Key != Path.GetFileName(file.Key) || !File.Exists(path)
                    || !string.Equals(CacheKey.HashFile(path), file.Value, StringComparison.OrdinalIgnoreCase))
                {
                    return new CacheProbeResult(CacheStatus.Damaged, directory, none);
                }

                files[file.Key] = path;
            }

            return new CacheProbeResult(files.ContainsKey(CacheStore.ResultJsonFileName) ? CacheStatus.Cached : CacheStatus.Incomplete, directory, files);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            // A folder without a readable manifest is what a build treats as damaged (it discards it and compresses).
            return new CacheProbeResult(CacheStatus.Damaged, directory, none);
        }
    }
}
