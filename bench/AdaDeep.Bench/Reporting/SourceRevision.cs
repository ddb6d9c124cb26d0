using System.Diagnostics;

namespace AdaDeep.Bench.Reporting;

/// <summary>The checkout's commit (git rev-parse --short HEAD, "+dirty" with local changes), so two result files can be told apart.</summary>
public static class SourceRevision
{
    public static string Describe(string repositoryRoot)
    {
        var head = Git(repositoryRoot, "rev-parse", "--short", "HEAD");
        if (head is null)
        {
            return "unknown";
        }

        var status = Git(repositoryRoot, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(status) ? head : head + "+dirty";
    }

    private static string? Git(string directory, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
