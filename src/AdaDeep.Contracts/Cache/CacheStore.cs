namespace AdaDeep.Engine.Cache;

/// <summary>
/// The content-addressed cache of compressed models: <c>&lt;root&gt;/v1/&lt;key&gt;/{model.onnx, result.json,
/// report.json, report.md, manifest.json}</c>. Entries are published atomically (written into <c>v1/.tmp-&lt;guid&gt;/</c> on the
/// same volume, then renamed to the key folder; the first publisher wins), verified against the manifest's SHA-256
/// on every read (a damaged entry is removed and reads as a miss), and guarded by a per-key lock so that parallel
/// builds compress a model once. Shared by the engine and the MSBuild task (AdaDeep.Contracts).
/// </summary>
public sealed class CacheStore
{
    public const string LayoutVersion = "v1";
    public const string ModelFileName = "model.onnx";

    /// <summary>The result document of the run (the tool's --result-json): what a cache hit reports.</summary>
    public const string ResultJsonFileName = "result.json";

    /// <summary>The detailed report of the run (JSON), when the producer wrote one.</summary>
    public const string ReportJsonFileName = "report.json";
    public const string ReportMarkdownFileName = "report.md";
    public const string ManifestFileName = "manifest.json";
    public const string EnvironmentVariable = "ADADEEP_CACHE_DIR";

    /// <summary>The warning code of an unusable cache folder (<see cref="AdaDeep.Onnx.Diagnostics.ErrorCodes.CacheUnavailable"/>).</summary>
    public const string CacheUnavailableCode = AdaDeep.Onnx.Diagnostics.ErrorCodes.CacheUnavailable;

    private const string TempPrefix = ".tmp-";
    private const string LocksFolder = ".locks";

    /// <summary>Temporary folders older than this are left-overs of killed processes and may be removed.</summary>
    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    private CacheStore(string root, CacheWarning? warning)
    {
        Root = root;
        Warning = warning;
    }

    /// <summary>The cache root in use (the requested one, or the temporary fallback).</summary>
    public string Root { get; }

    /// <summary>Set when the requested root was unusable and the store fell back to a temporary folder.</summary>
    public CacheWarning? Warning { get; }

    /// <summary><c>&lt;root&gt;/v1</c>.</summary>
    public string VersionDirectory => Path.Combine(Root, LayoutVersion);

    /// <summary>The root to use: <paramref name="explicitRoot"/>, else ADADEEP_CACHE_DIR, else the user cache folder
    /// ($XDG_CACHE_HOME/adadeep or ~/.cache/adadeep; %LOCALAPPDATA%\adadeep\cache on Windows).</summary>
    public static string ResolveRoot(string? explicitRoot = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot!.Trim());
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment!.Trim());
        }

        if (Path.DirectorySeparatorChar == '\\')
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "adadeep", "cache");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "adadeep");
        }

        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrWhiteSpace(home))
        {
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        return Path.Combine(home!, ".cache", "adadeep");
    }

    /// <summary>
    /// Opens the cache at <see cref="ResolveRoot"/>. A root that cannot be written (read-only, a file in the way)
    /// gives a <see cref="Warning"/> (ADA5001) and a store in a temporary folder instead.
    /// </summary>
    public static CacheStore Open(string? explicitRoot = null)
    {
        var root = ResolveRoot(explicitRoot);
        var problem = ProbeWritable(root);
        if (problem is null)
        {
            return new CacheStore(root, null);
        }

        var fallback = Path.Combine(Path.GetTempPath(), "adadeep-cache-" + SafeUserName());
        var warning = new CacheWarning(CacheUnavailableCode,
            $"the cache folder cannot be written ({problem}); using {fallback} for this run", root);
        var fallbackProblem = ProbeWritable(fallback);
        if (fallbackProblem is not null)
        {
            throw new IOException($"neither the cache folder {root} ({problem}) nor {fallback} ({fallbackProblem}) can be written");
        }

        return new CacheStore(fallback, warning);
    }

    /// <summary>The folder an entry for <paramref name="key"/> lives in (whether or not it exists).</summary>
    public string EntryDirectory(string key)
    {
        if (!CacheKey.IsValidKey(key))
        {
            throw new ArgumentException("a cache key is 64 lowercase hex characters", nameof(key));
        }

        return Path.Combine(VersionDirectory, key);
    }

    /// <summary>
    /// The verified entry for <paramref name="key"/>, or null on a miss. An entry whose files do not match its
    /// manifest is removed and reads as a miss. A hit refreshes the entry's last-used time (for prune).
    /// </summary>
    public CacheEntry? TryGet(string key)
    {
        var directory = EntryDirectory(key);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        var entry = ReadVerified(key, directory, verifyHashes: true);
        if (entry is null)
        {
            RemoveDirectory(directory);
            return null;
        }

        try
        {
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // A shared read-only cache still serves hits; only prune ordering suffers.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return entry;
    }

    /// <summary>
    /// Publishes <paramref name="files"/> (entry file name → source path; must hold model.onnx) as the entry for
    /// <paramref name="key"/>. If another process published the key first, its entry is kept and returned.
    /// </summary>
    public CacheEntry Publish(string key, IEnumerable<KeyValuePair<string, string>> files)
    {
        var target = EntryDirectory(key);
        var fileList = files.ToList();
        foreach (var file in fileList)
        {
            if (file.Key.Length == 0 || file.Key != Path.GetFileName(file.Key) || file.Key == ManifestFileName || file.Key.StartsWith(".", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{file.Key}' is not a valid cache entry file name", nameof(files));
            }
        }

        if (!fileList.Any(f => f.Key == ModelFileName))
        {
            throw new ArgumentException($"a cache entry needs {ModelFileName}", nameof(files));
        }

        var existing = TryGet(key);
        if (existing is not null)
        {
            return existing;
        }

        Directory.CreateDirectory(VersionDirectory);
        var temp = Path.Combine(VersionDirectory, TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        try
        {
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in fileList)
            {
                var destination = Path.Combine(temp, file.Key);
                File.Copy(file.Value, destination);
                hashes[file.Key] = CacheKey.HashFile(destination);
            }

            var manifest = new CacheManifest(key, hashes, DateTime.UtcNow);
            File.WriteAllText(Path.Combine(temp, ManifestFileName), manifest.ToJson());
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    Directory.Move(temp, target);
                    return ReadVerified(key, target, verifyHashes: false)
                        ?? throw new IOException($"the cache entry {target} vanished right after it was published");
                }
                catch (IOException) when (Directory.Exists(target) && attempt < 2)
                {
                    // Someone else published first: keep theirs if it is sound, else replace the damaged one.
                    var theirs = TryGet(key);
                    if (theirs is not null)
                    {
                        return theirs;
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                RemoveDirectory(temp);
            }
        }
    }

    /// <summary>
    /// A new empty folder beside the entries (same volume, so a publish from it is cheap) for staging files, e.g. a
    /// remote entry being downloaded; its name marks it temporary, so prune removes it if its owner is killed.
    /// </summary>
    public string CreateTemporaryDirectory()
    {
        var temp = Path.Combine(VersionDirectory, TempPrefix + "stage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(temp);
        return temp;
    }

    /// <summary>Removes a folder made by <see cref="CreateTemporaryDirectory"/> (or any entry folder), readers first.</summary>
    public static void DeleteTemporaryDirectory(string directory) => RemoveDirectory(directory);

    /// <summary>The path of the lock file for <paramref name="key"/>.</summary>
    public string LockPath(string key) => Path.Combine(VersionDirectory, LocksFolder, EntryKeyFileName(key) + ".lock");

    /// <summary>Waits for the per-key lock (see <see cref="CacheLock"/>).</summary>
    public CacheLock AcquireLock(string key, TimeSpan timeout, CancellationToken cancellation, Action? onWaiting = null) =>
        CacheLock.Acquire(LockPath(key), timeout, cancellation, onWaiting);

    /// <summary>Every entry whose manifest parses, newest use first (hashes are not re-verified: that is TryGet's job).</summary>
    public IReadOnlyList<CacheEntry> List()
    {
        if (!Directory.Exists(VersionDirectory))
        {
            return new CacheEntry[0];
        }

        return Directory.GetDirectories(VersionDirectory)
            .Select(d => new { Directory = d, Key = Path.GetFileName(d) })
            .Where(d => CacheKey.IsValidKey(d.Key))
            .Select(d => ReadVerified(d.Key, d.Directory, verifyHashes: false))
            .Where(e => e is not null)
            .Select(e => e!)
            .OrderByDescending(e => e.LastUsedUtc)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Removes entries last used before <paramref name="olderThan"/> ago, then the least recently used ones until the
    /// total is at most <paramref name="maxBytes"/>; entries being written (lock held) are kept. Also removes
    /// temporary folders left by killed processes. Returns the removed entries.
    /// </summary>
    public IReadOnlyList<CacheEntry> Prune(TimeSpan? olderThan = null, long? maxBytes = null)
    {
        RemoveStaleTemporaryFolders(StaleTempAge);
        var entries = List();
        var removed = new List<CacheEntry>();
        var now = DateTime.UtcNow;
        if (olderThan is TimeSpan age)
        {
            foreach (var entry in entries.Where(e => now - e.LastUsedUtc > age))
            {
                if (TryRemove(entry))
                {
                    removed.Add(entry);
                }
            }
        }

        if (maxBytes is long limit)
        {
            var kept = entries.Where(e => !removed.Contains(e)).ToList();
            var total = kept.Sum(e => e.SizeBytes);
            foreach (var entry in kept.OrderBy(e => e.LastUsedUtc))
            {
                if (total <= limit)
                {
                    break;
                }

                if (TryRemove(entry))
                {
                    removed.Add(entry);
                    total -= entry.SizeBytes;
                }
            }
        }

        return removed;
    }

    /// <summary>Removes every entry that is not locked and every temporary folder; returns the removed entries.</summary>
    public IReadOnlyList<CacheEntry> Clear()
    {
        RemoveStaleTemporaryFolders(TimeSpan.Zero);
        var removed = new List<CacheEntry>();
        foreach (var entry in List())
        {
            if (TryRemove(entry))
            {
                removed.Add(entry);
            }
        }

        return removed;
    }

    private bool TryRemove(CacheEntry entry)
    {
        using var held = CacheLock.TryAcquire(LockPath(entry.Key));
        if (held is null)
        {
            return false;
        }

        RemoveDirectory(entry.Directory);
        return !Directory.Exists(entry.Directory);
    }

    private void RemoveStaleTemporaryFolders(TimeSpan minimumAge)
    {
        if (!Directory.Exists(VersionDirectory))
        {
            return;
        }

        foreach (var temp in Directory.GetDirectories(VersionDirectory, TempPrefix + "*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(temp) >= minimumAge)
            {
                RemoveDirectory(temp);
            }
        }
    }

    private static CacheEntry? ReadVerified(string key, string directory, bool verifyHashes)
    {
        try
        {
            var manifestPath = Path.Combine(directory, ManifestFileName);
            if (!File.Exists(manifestPath))
            {
                return null;
            }

            var manifest = CacheManifest.Parse(File.ReadAllText(manifestPath));
            if (manifest.Key != key)
            {
                return null;
            }

            long size = new FileInfo(manifestPath).Length;
            foreach (var file in manifest.FileSha256)
            {
                var path = Path.Combine(directory, file.Key);
                if (file.Key != Path.GetFileName(file.Key) || !File.Exists(path))
                {
                    return null;
                }

                if (verifyHashes && !string.Equals(CacheKey.HashFile(path), file.Value, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                size += new FileInfo(path).Length;
            }

            return new CacheEntry(key, directory, manifest, size, Directory.GetLastWriteTimeUtc(directory));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Moves the folder aside first so that readers never see a half-deleted entry, then deletes it.</summary>
    private static void RemoveDirectory(string directory)
    {
        var parent = Path.GetDirectoryName(directory)!;
        var trash = Path.Combine(parent, TempPrefix + "trash-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.Move(directory, trash);
        }
        catch (IOException)
        {
            trash = directory;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next prune (e.g. a file still open on Windows).
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? ProbeWritable(string root)
    {
        try
        {
            var version = Path.Combine(root, LayoutVersion);
            Directory.CreateDirectory(version);
            var probe = Path.Combine(version, TempPrefix + "probe-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }

    private static string EntryKeyFileName(string key) =>
        CacheKey.IsValidKey(key) ? key : throw new ArgumentException("a cache key is 64 lowercase hex characters", nameof(key));

    private static string SafeUserName()
    {
        var name = Environment.UserName;
        var safe = new string((name ?? "user").Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
        return safe.Length == 0 ? "user" : safe;
    }
}
