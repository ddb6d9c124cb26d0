namespace AdaDeep.Engine.Cache;

/// <summary>A published cache entry: <c>&lt;root&gt;/v1/&lt;key&gt;/</c> with its manifest.</summary>
public sealed class CacheEntry
{
    public CacheEntry(string key, string directory, CacheManifest manifest, long sizeBytes, DateTime lastUsedUtc)
    {
        Key = key;
        Directory = directory;
        Manifest = manifest;
        SizeBytes = sizeBytes;
        LastUsedUtc = lastUsedUtc;
    }

    public string Key { get; }

    public string Directory { get; }

    public CacheManifest Manifest { get; }

    /// <summary>Bytes of all files of the entry.</summary>
    public long SizeBytes { get; }

    /// <summary>When the entry was last published or read (the folder's write time, touched on every hit).</summary>
    public DateTime LastUsedUtc { get; }

    public string ModelPath => Path.Combine(Directory, CacheStore.ModelFileName);

    /// <summary>Path of a file of the entry, or null when the entry does not hold it (e.g. no report.md).</summary>
    public string? FilePath(string name) => Manifest.FileSha256.ContainsKey(name) ? Path.Combine(Directory, name) : null;
}
