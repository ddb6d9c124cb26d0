using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// The shared second-level cache in Bazel's remote cache layout: an action entry <c>ac/&lt;key&gt;</c>
/// (<see cref="BazelActionResult"/>) names the entry's files, stored once each as <c>cas/&lt;sha256&gt;</c>.
/// Nothing the server does can fail or corrupt a build: every blob is checked against its SHA-256 and size (a mismatch
/// is a miss, ADA5102); a failed request is retried once, then the remote is left alone for the rest of the run
/// (ADA5101) and the build computes locally; a refused or failed write turns writing off (ADA5103). Blobs are uploaded
/// before the action entry that names them, so a reader never finds an entry whose files are not there yet.
/// </summary>
public sealed class RemoteCache : IDisposable
{
    /// <summary>ONNX models stay under protobuf's 2 GiB; anything far beyond is a damaged digest.</summary>
    public const long MaxBlobBytes = 4L << 30;

    private readonly IRemoteBlobStore _store;
    private readonly Action<CacheWarning> _warn;
    private volatile bool _unavailable;
    private volatile bool _writesOff;

    public RemoteCache(IRemoteBlobStore store, bool readOnly, Action<CacheWarning> warn)
    {
        _store = store;
        ReadOnly = readOnly;
        _warn = warn;
    }

    public string DisplayName => _store.DisplayName;

    public bool ReadOnly { get; }

    public RemoteCacheStatistics Statistics { get; } = new();

    /// <summary>False once the remote failed twice in a row: the rest of the run does not wait for it again.</summary>
    public bool Available => !_unavailable;

    /// <summary>
    /// The remote cache the options name, or null when none is configured: HTTP here; an azblob:// URL needs
    /// <paramref name="azureBlob"/> (AdaDeep.Cache.Azure's AzureBlobStore.Create, passed by callers that ship it, so
    /// this assembly stays free of Azure.Core).
    /// </summary>
    /// <exception cref="FormatException">An azblob:// URL and no Azure backend.</exception>
    public static RemoteCache? Open(RemoteCacheOptions? options, Action<CacheWarning> warn, Func<RemoteCacheOptions, IRemoteBlobStore>? azureBlob = null)
    {
        if (options is null)
        {
            return null;
        }

        var store = !options.IsAzureBlob ? new HttpBlobStore(options)
            : azureBlob?.Invoke(options) ?? throw new FormatException("azblob:// remote caches need the Azure backend (AdaDeep.Cache.Azure), which this program does not ship");
        return new RemoteCache(store, options.ReadOnly, warn);
    }

    /// <summary>
    /// Downloads the entry for <paramref name="key"/> into <paramref name="stagingDirectory"/> and verifies it; returns
    /// its files (entry file name → path), or null on a miss, a damaged entry or an unavailable server.
    /// </summary>
    public IReadOnlyDictionary<string, string>? TryFetch(string key, string stagingDirectory, CancellationToken cancellation)
    {
        if (_unavailable || !CacheKey.IsValidKey(key))
        {
            return null;
        }

        byte[]? actionBytes = null;
        try
        {
            actionBytes = WithRetry(() => ReadSmall("ac/" + key, cancellation), "read");
        }
        catch (InvalidDataException e)
        {
            return Corrupt(key, e.Message);
        }

        if (actionBytes is null)
        {
            if (!_unavailable)
            {
                Statistics.Miss();
            }

            return null;
        }

        IReadOnlyList<BazelOutputFile> outputs;
        try
        {
            outputs = BazelActionResult.Decode(actionBytes);
        }
        catch (FormatException e)
        {
            return Corrupt(key, "its action entry is not an ActionResult: " + e.Message);
        }

        if (!outputs.Any(o => o.Path == CacheStore.ModelFileName)
            || outputs.Any(o => !IsPlainFileName(o.Path))
            || outputs.Select(o => o.Path).Distinct(StringComparer.Ordinal).Count() != outputs.Count)
        {
            return Corrupt(key, "its action entry does not name a model and distinct plain file names");
        }

        if (outputs.Any(o => o.SizeBytes > MaxBlobBytes))
        {
            // A damaged digest must not make a build download (and store) gigabytes.
            return Corrupt(key, $"its action entry names a file larger than {MaxBlobBytes >> 30} GiB");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var path = Path.Combine(stagingDirectory, output.Path);
            bool found;
            try
            {
                found = WithRetry(() => Download("cas/" + output.Sha256, path, output.SizeBytes, cancellation), "read");
            }
            catch (InvalidDataException e)
            {
                return Corrupt(key, e.Message);
            }

            if (_unavailable)
            {
                return null;
            }

            if (!found)
            {
                // An action entry whose blob was evicted: a miss, as Bazel treats it.
                Statistics.Miss();
                return null;
            }

            var length = new FileInfo(path).Length;
            Statistics.Downloaded(length);
            var actual = CacheKey.HashFile(path);
            if (length != output.SizeBytes || actual != output.Sha256)
            {
                return Corrupt(key, $"the blob of {output.Path} has SHA-256 {actual} ({length} bytes), its digest says {output.Sha256} ({output.SizeBytes} bytes)");
            }

            files[output.Path] = path;
        }

        Statistics.Hit();
        return files;
    }

    /// <summary>Uploads a published local entry (blobs the server lacks, then the action entry); never throws for the server's sake.</summary>
    public void Upload(CacheEntry entry, CancellationToken cancellation)
    {
        if (ReadOnly || _writesOff || _unavailable)
        {
            return;
        }

        if (CutByTimeCap(entry))
        {
            Warn(ErrorCodes.RemoteCacheNotShared, $"the entry {entry.Key} is kept locally and not shared: a time cap cut its work ({ErrorCodes.TimeBudgetCut}), so another machine would compute other bytes");
            return;
        }

        try
        {
            var outputs = new List<BazelOutputFile>();
            foreach (var file in entry.Manifest.FileSha256.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var path = Path.Combine(entry.Directory, file.Key);
                var length = new FileInfo(path).Length;
                var blob = "cas/" + file.Value.ToLowerInvariant();
                if (!WithRetry(() => _store.ExistsAsync(blob, cancellation).GetAwaiter().GetResult(), "write"))
                {
                    if (_writesOff || _unavailable)
                    {
                        return;
                    }

                    WithRetry(() => Put(blob, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read), length, cancellation), "write");
                    if (_writesOff || _unavailable)
                    {
                        return;
                    }
                }

                outputs.Add(new BazelOutputFile(file.Key, file.Value.ToLowerInvariant(), length));
            }

            var action = BazelActionResult.Encode(outputs);
            if (WithRetry(() => Put("ac/" + entry.Key, () => new MemoryStream(action, writable: false), action.Length, cancellation), "write"))
            {
                Statistics.Uploaded();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The local entry vanished (pruned) while uploading: nothing to share, nothing broken.
            Warn(ErrorCodes.RemoteCacheWriteFailed, $"the entry {entry.Key} could not be read for upload: {e.Message}");
        }
    }

    public void Dispose() => _store.Dispose();

    /// <summary>Whether the entry's result says a time cap (search, quick fine-tune or fine-tune) cut its work: such bytes
    /// depend on the speed of the machine that computed them.</summary>
    private static bool CutByTimeCap(CacheEntry entry)
    {
        var result = entry.FilePath(CacheStore.ResultJsonFileName);
        return result is not null && File.Exists(result) && File.ReadAllText(result).Contains($"warning {ErrorCodes.TimeBudgetCut}");
    }

    /// <summary>A name a cache entry may hold (what <see cref="CacheStore.Publish"/> accepts, and nothing a path could abuse).</summary>
    private static bool IsPlainFileName(string name) =>
        name.Length > 0 && name.Length <= 255 && name == Path.GetFileName(name) && !name.StartsWith(".", StringComparison.Ordinal)
        && name != CacheStore.ManifestFileName && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && name.IndexOfAny(new[] { '/', '\\', ':' }) < 0;

    private byte[]? ReadSmall(string path, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        return _store.GetAsync(path, buffer, BazelActionResult.MaxBytes, cancellation).GetAwaiter().GetResult() ? buffer.ToArray() : null;
    }

    private bool Download(string blob, string path, long size, CancellationToken cancellation)
    {
        // Truncate on every attempt: a retry must not append to what a cut-short first attempt left.
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        return _store.GetAsync(blob, file, size, cancellation).GetAwaiter().GetResult();
    }

    private bool Put(string path, Func<Stream> open, long length, CancellationToken cancellation)
    {
        using var content = open();
        _store.PutAsync(path, content, length, cancellation).GetAwaiter().GetResult();
        Statistics.Sent(length);
        return true;
    }

    /// <summary>
    /// Runs a request, once more after a transient failure. A second failure (or a refusal) turns the remote off for the
    /// rest of the run (reads) or turns writing off (writes), with one coded warning; the result is then default.
    /// </summary>
    private T? WithRetry<T>(Func<T> request, string purpose)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return request();
            }
            catch (RemoteStoreException e) when (e.Transient && attempt == 1)
            {
                // One retry: a dropped connection or a restarting server is common in CI.
            }
            catch (RemoteStoreException e)
            {
                if (purpose == "write")
                {
                    _writesOff = true;
                    Warn(ErrorCodes.RemoteCacheWriteFailed, $"results are not shared this run: {e.Message}");
                }
                else
                {
                    _unavailable = true;
                    Warn(ErrorCodes.RemoteCacheUnavailable, $"the remote cache is not used for the rest of this run, models are compressed locally: {e.Message}{(e.Transient ? " (after one retry)" : "")}");
                }

                return default;
            }
        }
    }

    private IReadOnlyDictionary<string, string>? Corrupt(string key, string why)
    {
        Statistics.Miss();
        Warn(ErrorCodes.RemoteCacheEntryDamaged, $"the remote entry {key} is damaged and is ignored ({why}); compressing locally");
        return null;
    }

    private void Warn(string code, string message) => _warn(new CacheWarning(code, message, _store.DisplayName));
}
