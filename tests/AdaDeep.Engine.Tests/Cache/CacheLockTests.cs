using System.Diagnostics;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Tests.Cache;

public class CacheLockTests
{
    [Fact]
    public void Held_lock_excludes_a_second_holder_until_released()
    {
        using var dir = new ScratchFolder();
        var path = System.IO.Path.Combine(dir.Path, "locks", "k.lock");
        using (var first = CacheLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(CacheLock.TryAcquire(path));
            Assert.Throws<TimeoutException>(() => CacheLock.Acquire(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        }

        using var again = CacheLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void Waiting_for_a_lock_can_be_cancelled_and_reports_that_it_waits()
    {
        using var dir = new ScratchFolder();
        var path = System.IO.Path.Combine(dir.Path, "k.lock");
        using var held = CacheLock.TryAcquire(path);
        using var cancel = new CancellationTokenSource();
        var waited = false;
        Assert.Throws<OperationCanceledException>(() => CacheLock.Acquire(path, TimeSpan.FromMinutes(5), cancel.Token, () =>
        {
            waited = true;
            cancel.Cancel();
        }));
        Assert.True(waited);
    }

    [Fact]
    public void Lock_file_left_behind_without_a_holder_does_not_block()
    {
        using var dir = new ScratchFolder();
        var path = dir.File("stale.lock", "left by a crashed build");
        using var acquired = CacheLock.Acquire(path, TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.NotNull(acquired);
    }

    [Fact]
    public void Lock_of_a_killed_process_is_released()
    {
        using var dir = new ScratchFolder();
        var path = System.IO.Path.Combine(dir.Path, "killed.lock");
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsLinux())
        {
            // flock(1) is the child used below; elsewhere the no-holder case above covers the file being left behind.
            using var free = CacheLock.TryAcquire(path);
            Assert.NotNull(free);
            return;
        }

        // util-linux flock(1) takes the same flock(2) lock .NET takes for FileShare.None, then sleeps holding it.
        using var child = Process.Start(new ProcessStartInfo("flock", $"-x \"{path}\" sleep 60") { UseShellExecute = false })!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            CacheLock? probe;
            while ((probe = CacheLock.TryAcquire(path)) is not null && DateTime.UtcNow < deadline)
            {
                // The child has not taken the lock yet: let go and look again.
                probe.Dispose();
                Thread.Sleep(50);
            }

            Assert.Null(probe);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        using var acquired = CacheLock.Acquire(path, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(acquired);
    }
}
