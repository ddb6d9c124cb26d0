using AdaDeep.Engine.Cache;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// The folder one tool run writes into, <c>obj/…/adadeep/&lt;device&gt;/.work-&lt;guid&gt;/</c>, held by an exclusive lock
/// file inside it for as long as the run lasts. The OS drops the lock when the build process dies (even by SIGKILL,
/// when no finally block runs), so the next build can tell a folder left by a killed build (lock free: removed) from
/// one a parallel build is using (lock held: kept). The lock's descriptor is close-on-exec: the tool never holds it.
/// </summary>
internal sealed class WorkFolder : IDisposable
{
    public const string Prefix = ".work-";
    private const string LockFileName = ".lock";
    private CacheLock? _lock;

    private WorkFolder(string path, CacheLock held)
    {
        Path = path;
        _lock = held;
    }

    public string Path { get; }

    public static WorkFolder Create(string parent)
    {
        var path = System.IO.Path.Combine(parent, Prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var held = CacheLock.TryAcquire(System.IO.Path.Combine(path, LockFileName))
            ?? throw new IOException($"the new work folder {path} is locked by someone else");
        return new WorkFolder(path, held);
    }

    /// <summary>Removes the work folders under <paramref name="parent"/> whose run is over (lock free); returns how many.</summary>
    public static int RemoveStale(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in Directory.GetDirectories(parent, Prefix + "*"))
        {
            using (var held = CacheLock.TryAcquire(System.IO.Path.Combine(folder, LockFileName)))
            {
                if (held is null)
                {
                    continue;
                }
            }

            if (TryDelete(folder))
            {
                removed++;
            }
        }

        return removed;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        TryDelete(Path);
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next build (a file still open on Windows).
            return false;
        }
    }
}
