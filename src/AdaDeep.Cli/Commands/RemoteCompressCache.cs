using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// The remote cache around one `adadeep compress`, outside the pipeline (which knows only the local cache): before
/// the run a remote entry for the request's key is downloaded into the local cache, so the pipeline hits it; after a
/// fresh run the entry the pipeline published is uploaded.
/// </summary>
public static class RemoteCompressCache
{
    /// <summary>True when the remote held the entry (it is now local).</summary>
    public static bool Prefetch(RemoteCache remote, CompressRequest request, TextWriter error, CancellationToken cancellation)
    {
        try
        {
            var store = CacheStore.Open(request.CacheDir);
            if (store.Warning is not null)
            {
                // A fallback folder: the pipeline reports it; filling it would help nobody.
                return false;
            }

            var cache = new TieredCache(store, remote, w => error.WriteLine(w.ToString()));
            return cache.TryGet(EngineCacheKey.For(request), cancellation) is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A missing model or data set: the pipeline says so with its own code.
            return false;
        }
    }

    /// <summary>Uploads the local entry of a finished run (a no-op for a read-only remote).</summary>
    public static void Share(RemoteCache remote, CompressRequest request, CompressResult result, CancellationToken cancellation)
    {
        if (remote.ReadOnly || result.CacheKey is not { } key || !CacheKey.IsValidKey(key))
        {
            return;
        }

        try
        {
            if (CacheStore.Open(request.CacheDir).TryGet(key) is { } entry)
            {
                remote.Upload(entry, cancellation);
            }
        }
        catch (IOException)
        {
            // The local cache is unusable; the pipeline already said so.
        }
    }
}
