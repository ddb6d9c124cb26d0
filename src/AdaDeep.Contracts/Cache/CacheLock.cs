namespace AdaDeep.Engine.Cache;

/// <summary>
/// An exclusive per-key lock: a lock file opened with <see cref="FileShare.None"/>. On Unix .NET takes an flock(2)
/// on it, on Windows the share mode is enforced by the OS; either way the lock dies with the process that holds it,
/// so a lock file left behind by a killed build never blocks. The file itself is kept (deleting it would race with
/// a process that has just opened it).
/// </summary>
public sealed class CacheLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private FileStream? _stream;

    private CacheLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Takes the lock now, or returns null when another process (or another handle) holds it.</summary>
    public static CacheLock? TryAcquire(string path)
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            return new CacheLock(path, stream);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            // Windows reports a file held with FileShare.None by another process this way for some paths.
            return null;
        }
    }

    /// <summary>Waits for the lock; <paramref name="onWaiting"/> is called once if it has to wait.</summary>
    /// <exception cref="TimeoutException">The lock was not free within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public static CacheLock Acquire(string path, TimeSpan timeout, CancellationToken cancellation, Action? onWaiting = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var told = false;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var acquired = TryAcquire(path);
            if (acquired is not null)
            {
                return acquired;
            }

            if (!told)
            {
                told = true;
                onWaiting?.Invoke();
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"the cache lock {path} stayed held for {timeout.TotalSeconds:0} s");
            }

            cancellation.WaitHandle.WaitOne(PollInterval);
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }
}
