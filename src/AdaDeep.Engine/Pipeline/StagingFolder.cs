using System.Diagnostics;
using System.Globalization;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The private folder a run writes its outputs into before moving them into place (<see cref="OutputWriter"/>). Its
/// name carries the owning process's id, so a later run can remove the folders of runs that were killed (SIGKILL, a
/// cancelled build's process tree) and had no chance to clean up, without touching the folders of runs still going.
/// A folder whose owner cannot be read from its name (written by an older engine) is left alone.
/// </summary>
public static class StagingFolder
{
    public const string Prefix = ".adadeep-staging-";

    /// <summary>A new staging folder's path in <paramref name="directory"/> (not created), after removing abandoned ones.</summary>
    public static string NewPath(string directory)
    {
        RemoveAbandoned(directory);
        return Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"));
    }

    /// <summary>Deletes the staging folders in <paramref name="directory"/> whose owning process no longer runs.</summary>
    public static void RemoveAbandoned(string directory)
    {
        string[] candidates;
        try
        {
            candidates = Directory.Exists(directory) ? Directory.GetDirectories(directory, Prefix + "*") : Array.Empty<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // Clean-up is best effort: the run itself reports a folder it cannot write.
        }

        foreach (var folder in candidates.Where(f => OwnerOf(Path.GetFileName(f)) is { } pid && !IsRunning(pid)))
        {
            OutputWriter.TryDelete(folder);
        }
    }

    /// <summary>The process id in a staging folder's name, or null when the name carries none.</summary>
    public static int? OwnerOf(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = name.AsSpan(Prefix.Length);
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false; // no such process
        }
    }
}
