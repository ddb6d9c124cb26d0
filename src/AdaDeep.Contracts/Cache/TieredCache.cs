namespace AdaDeep.Engine.Cache;

/// <summary>
/// The local cache first, the remote one second. A remote hit is verified, then published into the local cache (so
/// the next build on this machine needs no network); a local publish is uploaded unless the remote is read-only.
/// Without a remote it is the local store alone. The remote is the caller's to dispose (several tiers may share one).
/// </summary>
public sealed class TieredCache
{
    private readonly Action<CacheWarning> _warn;

    public TieredCache(CacheStore local, RemoteCache? remote, Action<CacheWarning> warn)
    {
        Local = local;
        Remote = remote;
        _warn = warn;
    }

    public CacheStore Local { get; }

    public RemoteCache? Remote { get; }

    /// <summary>The local entry, else the remote one (now also local), else null.</summary>
    public CacheEntry? TryGet(string key, CancellationToken cancellation)
    {
        var local = Local.TryGet(key);
        if (local is not null || Remote is null || !Remote.Available)
        {
            return local;
        }

        string? staging = null;
        try
        {
            staging = Local.CreateTemporaryDirectory();
            var files = Remote.TryFetch(key, staging, cancellation);
            return files is null ? null : Local.Publish(key, files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The local disk, not the server, failed: the build computes as on a miss.
            _warn(new CacheWarning(CacheStore.CacheUnavailableCode, $"a remote entry could not be stored in the local cache: {e.Message}", Local.Root));
            return null;
        }
        finally
        {
            if (staging is not null)
            {
                CacheStore.DeleteTemporaryDirectory(staging);
            }
        }
    }

    /// <summary>Publishes locally (see <see cref="CacheStore.Publish"/>), then shares the entry.</summary>
    public CacheEntry Publish(string key, IEnumerable<KeyValuePair<string, string>> files, CancellationToken cancellation)
    {
        var entry = Local.Publish(key, files);
        Remote?.Upload(entry, cancellation);
        return entry;
    }
}
