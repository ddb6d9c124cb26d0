using System.Diagnostics;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Fills the cache for every distinct key of a plan, the way a build would on a miss: a sound entry is left alone;
/// otherwise take the per-key lock (a build or another warm working on the same key is waited for, not repeated),
/// look again, compress, and publish under the key the build task computes. A failed job does not stop the others.
/// With a remote cache, a key the remote holds is downloaded instead of compressed, and every entry this run
/// compresses (or finds only locally) is uploaded, so a CI matrix of `warm --shard i/n` jobs fills one shared cache.
/// </summary>
public sealed class WarmRunner
{
    /// <summary>How long to wait for another process that compresses the same key (as the build task does).</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromHours(2);

    private readonly IModelCompressor _compressor;
    private readonly RemoteCache? _remote;
    private readonly Action<CacheWarning> _warn;
    private readonly Dictionary<string, TieredCache> _caches = new(StringComparer.Ordinal);

    /// <param name="remote">The shared cache to read and fill (disposed by the caller), or null.</param>
    /// <param name="warn">Receives what the caches worked around (the remote's ADA51xx, a local store failure).</param>
    public WarmRunner(IModelCompressor compressor, RemoteCache? remote = null, Action<CacheWarning>? warn = null)
    {
        _compressor = compressor;
        _remote = remote;
        _warn = warn ?? (_ => { });
    }

    /// <summary>The jobs of a plan: one per distinct key, in listing order.</summary>
    public static IReadOnlyList<WarmJob> Jobs(ProjectPlan plan)
    {
        var distinct = plan.DistinctByKey();
        return distinct.Select((m, i) => new WarmJob(i + 1, distinct.Count, m)).ToList();
    }

    /// <summary>
    /// The jobs of shard <paramref name="shard"/> (1-based) of <paramref name="count"/>: the plan's distinct keys in
    /// ordinal key order, every count-th one. Every job of a CI matrix evaluates the same plan, so the shards are
    /// disjoint, cover every key, and differ in size by one at most; keys do not depend on the machine or the order
    /// of items, so neither does the split.
    /// </summary>
    public static IReadOnlyList<WarmJob> Shard(ProjectPlan plan, int shard, int count)
    {
        if (count < 1 || shard < 1 || shard > count)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard}/{count} is not i/n with 1 <= i <= n");
        }

        var mine = plan.DistinctByKey().OrderBy(m => m.Key, StringComparer.Ordinal)
            .Where((_, index) => index % count == shard - 1).ToList();
        return mine.Select((m, i) => new WarmJob(i + 1, mine.Count, m)).ToList();
    }

    public IReadOnlyList<WarmOutcome> Run(IReadOnlyList<WarmJob> jobs, IWarmObserver observer, CancellationToken cancellation)
    {
        var outcomes = new List<WarmOutcome>();
        foreach (var job in jobs)
        {
            cancellation.ThrowIfCancellationRequested();
            observer.Started(job);
            var outcome = RunOne(job, observer, cancellation);
            observer.Finished(outcome);
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    private WarmOutcome RunOne(WarmJob job, IWarmObserver observer, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var model = job.Model;
        var key = model.Key!;
        if (_remote is null && CacheProbe.Probe(model.CacheRoot, key).Status == CacheStatus.Cached)
        {
            return new WarmOutcome(job, WarmOutcomeKind.AlreadyCached, clock.Elapsed);
        }

        var work = Path.Combine(Path.GetTempPath(), "adadeep-warm-" + Guid.NewGuid().ToString("N"));
        try
        {
            var cache = Cache(model.CacheRoot);
            var store = cache.Local;
            using var held = store.AcquireLock(key, LockTimeout, cancellation,
                () => observer.Progress(job, 0, "waiting for another process that compresses this model"));
            if (store.TryGet(key) is { } local && Usable(local))
            {
                // Found only here: share it (blobs the server has are not sent again).
                _remote?.Upload(local, cancellation);
                return new WarmOutcome(job, WarmOutcomeKind.AlreadyCached, clock.Elapsed);
            }

            if (_remote is not null && Usable(cache.TryGet(key, cancellation)))
            {
                return new WarmOutcome(job, WarmOutcomeKind.AlreadyCached, clock.Elapsed);
            }

            Directory.CreateDirectory(work);
            var compressed = CompressWithOneRetry(model, store.Root, work, job, observer, cancellation);
            var warnings = compressed.Warnings.ToList();
            var entry = store.TryGet(key);
            if (!Usable(entry))
            {
                // The engine keys its own publication too; when that key is not the build's, publish under the build's.
                if (compressed.PublishedKey is { } engineKey && engineKey != key)
                {
                    warnings.Add($"{model.Settings.ModelPath}: warning {ErrorCodes.ProjectEngineMismatch}: the engine keyed the result {engineKey[..12]}…, "
                        + $"the build looks for {key[..12]}…; published under the build's key too");
                }

                entry = store.Publish(key, compressed.Files);
                if (!Usable(entry))
                {
                    // Publish keeps an existing entry; one without a result (an older engine's) must be cleared first.
                    throw new AdaDeepException(ErrorCodes.ProjectWarmFailed,
                        $"the cache holds an older entry for this key without {CacheStore.ResultJsonFileName}, which builds do not use; "
                        + "remove it with `adadeep cache clear` (or prune) and warm again", model.Settings.ModelPath);
                }
            }

            _remote?.Upload(entry!, cancellation);
            return new WarmOutcome(job, WarmOutcomeKind.Compressed, clock.Elapsed, Warnings: warnings);
        }
        catch (AdaDeepException e)
        {
            return new WarmOutcome(job, WarmOutcomeKind.Failed, clock.Elapsed, e);
        }
        catch (TimeoutException e)
        {
            return new WarmOutcome(job, WarmOutcomeKind.Failed, clock.Elapsed,
                new AdaDeepException(ErrorCodes.ProjectWarmFailed, e.Message, model.Settings.ModelPath, e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new WarmOutcome(job, WarmOutcomeKind.Failed, clock.Elapsed,
                new AdaDeepException(ErrorCodes.ProjectWarmFailed, $"compressing for {model.Device} failed: {e.Message}", model.Settings.ModelPath, e));
        }
        finally
        {
            if (Directory.Exists(work))
            {
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                    // A temporary folder left behind is harmless.
                }
            }
        }
    }

    /// <summary>
    /// Runs the engine; a native failure of the training library (TorchSharp raises ExternalException, e.g. the rare
    /// `addcmul_ … toFloat` seen once in nine warm runs) is retried once in a fresh work folder, and a second one is
    /// the coded error ADA6102 with the first line of the native message (the native stack only with ADADEEP_DEBUG=1),
    /// never ADA9001. Nothing of the failed attempt is kept: it wrote only into the work folder.
    /// </summary>
    private CompressedFiles CompressWithOneRetry(ModelVariant model, string root, string work, WarmJob job, IWarmObserver observer, CancellationToken cancellation)
    {
        try
        {
            return _compressor.Compress(model, root, work, (p, m) => observer.Progress(job, p, m), cancellation);
        }
        catch (System.Runtime.InteropServices.ExternalException first) when (!cancellation.IsCancellationRequested)
        {
            observer.Progress(job, 0, $"the training library failed ({FirstLine(first.Message)}); retrying once");
            Directory.Delete(work, recursive: true);
            Directory.CreateDirectory(work);
            try
            {
                return _compressor.Compress(model, root, work, (p, m) => observer.Progress(job, p, m), cancellation);
            }
            catch (System.Runtime.InteropServices.ExternalException again) when (!cancellation.IsCancellationRequested)
            {
                var debug = Environment.GetEnvironmentVariable("ADADEEP_DEBUG") is "1" ? "\n" + again : " (set ADADEEP_DEBUG=1 for the native stack)";
                throw new AdaDeepException(ErrorCodes.WarmNativeFailure,
                    $"compressing for {model.Device} failed twice inside TorchSharp: {FirstLine(again.Message)}{debug}", model.Settings.ModelPath, again);
            }
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>An entry a build uses: it holds the result document (as AdaDeepCompress requires).</summary>
    private static bool Usable(CacheEntry? entry) => entry?.FilePath(CacheStore.ResultJsonFileName) is not null;

    private TieredCache Cache(string root)
    {
        if (!_caches.TryGetValue(root, out var cache))
        {
            var store = CacheStore.Open(root);
            if (store.Warning is not null)
            {
                // Warming a fallback folder the build never reads would be pointless.
                throw new AdaDeepException(ErrorCodes.CacheUnavailable, store.Warning.Message, root);
            }

            cache = new TieredCache(store, _remote, _warn);
            _caches[root] = cache;
        }

        return cache;
    }
}
