using System.Diagnostics;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>
/// Small file systems made for a fault: a tiny tmpfs (a full disk) or a read-only bind mount (a read-only folder that
/// stops root too, unlike chmod). Needs mount(8) and the right to mount (root in the CI container); tests that need it
/// are skipped with <see cref="Unavailable"/> otherwise. Dispose unmounts.
/// </summary>
internal sealed class Mounts : IDisposable
{
    private static readonly Lazy<string?> Probe = new(ProbeMount);

    private Mounts(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Why mounts cannot be made here, or null when they can.</summary>
    public static string? Unavailable => Probe.Value;

    /// <summary>A tmpfs of <paramref name="sizeBytes"/> (rounded up to whole pages) on the existing folder <paramref name="path"/>.</summary>
    public static Mounts Tmpfs(string path, int sizeBytes)
    {
        Run("mount", "-t", "tmpfs", "-o", $"size={sizeBytes}", "tmpfs", path);
        return new Mounts(path);
    }

    /// <summary>The existing folder <paramref name="path"/>, mounted read-only on itself.</summary>
    public static Mounts ReadOnly(string path)
    {
        Run("mount", "--bind", path, path);
        var mount = new Mounts(path);
        try
        {
            Run("mount", "-o", "remount,ro,bind", path);
        }
        catch
        {
            mount.Dispose();
            throw;
        }

        return mount;
    }

    public void Dispose()
    {
        // Lazy unmount: a file handle left open by a failed assertion must not leave the mount behind.
        Run("umount", "-l", Path);
    }

    private static string? ProbeMount()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "tmpfs and bind mounts are made with Linux mount(8)";
        }

        var folder = Directory.CreateTempSubdirectory("adadeep-mount-probe-").FullName;
        try
        {
            using (Tmpfs(folder, 4096))
            {
            }

            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {e.Message}";
        }
        finally
        {
            try
            {
                Directory.Delete(folder);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Trim()}");
        }
    }
}

/// <summary>A fact that needs <see cref="Mounts"/>; skipped, with the reason, where mounts cannot be made.</summary>
internal sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (Mounts.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs <see cref="Mounts"/>; skipped, with the reason, where mounts cannot be made.</summary>
internal sealed class MountTheoryAttribute : TheoryAttribute
{
    public MountTheoryAttribute()
    {
        if (Mounts.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
