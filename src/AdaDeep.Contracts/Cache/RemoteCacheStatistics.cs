using System.Globalization;

namespace AdaDeep.Engine.Cache;

/// <summary>What a remote cache did in one run, for the build log and for benchmarks (bytes on the wire, bodies only).</summary>
public sealed class RemoteCacheStatistics
{
    private long _hits;
    private long _misses;
    private long _uploads;
    private long _bytesDownloaded;
    private long _bytesUploaded;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Entries written (their action entry PUT succeeded).</summary>
    public long Uploads => Interlocked.Read(ref _uploads);

    public long BytesDownloaded => Interlocked.Read(ref _bytesDownloaded);

    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void Uploaded() => Interlocked.Increment(ref _uploads);

    internal void Downloaded(long bytes) => Interlocked.Add(ref _bytesDownloaded, bytes);

    internal void Sent(long bytes) => Interlocked.Add(ref _bytesUploaded, bytes);

    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0} hit(s), {1} miss(es), {2} upload(s), {3:N0} bytes down, {4:N0} bytes up", Hits, Misses, Uploads, BytesDownloaded, BytesUploaded);
}
