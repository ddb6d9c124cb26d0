using System.Diagnostics;

namespace AdaDeep.Bench.Measuring;

/// <summary>The outcome of a measured child process.</summary>
public sealed record ChildRun(int ExitCode, double WallSeconds, long PeakRssKB, string OutputTail);

/// <summary>
/// Runs a command as a child process and measures its wall time and peak resident memory: through GNU time
/// (<c>/usr/bin/time -f %M</c>, which sees the whole process) when it is installed, else by polling VmHWM in /proc.
/// </summary>
public static class ChildProcess
{
    private const string GnuTime = "/usr/bin/time";

    public static ChildRun RunMeasured(string command, IReadOnlyList<string> args, string timeFile, TimeSpan timeout)
    {
        var useGnuTime = File.Exists(GnuTime);
        var start = new ProcessStartInfo(useGnuTime ? GnuTime : command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (useGnuTime)
        {
            foreach (var a in new[] { "-f", "%M", "-o", timeFile, command })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            while (output.Count > 20 && output.TryDequeue(out _))
            {
            }
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long polledPeak = 0;
        while (!process.WaitForExit(200))
        {
            polledPeak = Math.Max(polledPeak, VmHwmKB(process.Id));
            if (watch.Elapsed > timeout)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                break;
            }
        }

        process.WaitForExit();
        watch.Stop();
        var peak = polledPeak;
        if (useGnuTime && File.Exists(timeFile))
        {
            var last = File.ReadAllLines(timeFile).LastOrDefault(l => long.TryParse(l.Trim(), out _));
            if (last is not null)
            {
                peak = long.Parse(last.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return new ChildRun(process.ExitCode, watch.Elapsed.TotalSeconds, peak, string.Join(" | ", output));
    }

    /// <summary>Peak resident set of a process (kB), or 0 when it cannot be read (GNU time's own pid sees little).</summary>
    private static long VmHwmKB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
