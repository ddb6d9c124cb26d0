using System.Diagnostics;
using System.Globalization;

namespace AdaDeep.Cli;

/// <summary>
/// Ends the tool when the build that started it is gone. The build task sets ADADEEP_PARENT_PID to its own process;
/// a `dotnet build` killed by SIGKILL runs no code that could stop the tool, which would otherwise compress on for
/// minutes as an orphan. A watchdog thread checks the parent twice a second (by pid and start time, so a recycled pid
/// is not mistaken for it) and exits the process when it is gone. A watchdog rather than prctl(PR_SET_PDEATHSIG):
/// that signal fires when the parent *thread* that started the child exits, not the process, it does not survive a
/// wrapper script between the task and the tool, and it exists on Linux only; polling works everywhere.
/// </summary>
public sealed class ParentWatchdog : IDisposable
{
    public const string Variable = "ADADEEP_PARENT_PID";

    /// <summary>Exit code when the parent died: 128 + SIGHUP, what a shell reports for a job whose terminal went away.</summary>
    public const int ParentGoneExitCode = 129;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly int _pid;
    private readonly string? _identity;
    private readonly Action _onGone;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    private ParentWatchdog(int pid, string? identity, Action onGone)
    {
        _pid = pid;
        _identity = identity;
        _onGone = onGone;
        _thread = new Thread(Watch) { IsBackground = true, Name = "adadeep parent watchdog" };
        _thread.Start();
    }

    /// <summary>Starts watching the process ADADEEP_PARENT_PID names; null when it is not set (the tool run by hand).</summary>
    public static ParentWatchdog? StartFromEnvironment(Action? onGone = null)
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
        {
            return null;
        }

        return new ParentWatchdog(pid, Identity(pid), onGone ?? ExitNow);
    }

    /// <summary>Watches <paramref name="pid"/> (tests: a process of their own, and a callback instead of the exit).</summary>
    internal static ParentWatchdog Start(int pid, Action onGone) => new(pid, Identity(pid), onGone);

    public void Dispose()
    {
        _stop.Set();
        _thread.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
    }

    /// <summary>
    /// What identifies a live process: its start time (Linux: /proc/&lt;pid&gt;/stat field 22, since a killed process
    /// may linger as a zombie until reaped, which /proc shows as state Z), null when it is not running.
    /// </summary>
    internal static string? Identity(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                var text = File.ReadAllText(stat);
                // The command name (field 2) may hold spaces and ')': the fields after the last ')' are fixed.
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                return fields[0] is "Z" or "X" ? null : fields[19];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private void Watch()
    {
        while (!_stop.Wait(Interval))
        {
            if (_identity is null || Identity(_pid) != _identity)
            {
                _onGone();
                return;
            }
        }
    }

    /// <summary>Nobody reads the output any more and the build cleans the work folder: exit at once. Environment.Exit
    /// waits for nothing the engine holds, but a native call can block it, so a hard kill follows after a grace.</summary>
    private static void ExitNow()
    {
        var hard = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(3));
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }) { IsBackground = true };
        hard.Start();
        Environment.Exit(ParentGoneExitCode);
    }
}
