using System.Collections.Concurrent;
using System.Diagnostics;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Runs the tool out of process and hands every line of stdout and stderr, in arrival order, to a callback on the
/// calling thread (MSBuild logging belongs on the task's thread). Cancelling kills the whole process tree.
/// </summary>
internal static class ToolProcess
{
    public sealed record Line(string Text, bool FromStandardError);

    /// <summary>Runs <paramref name="command"/> with <paramref name="arguments"/>; returns the exit code.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; the process tree has been killed.</exception>
    public static int Run(ToolCommand command, IEnumerable<string> arguments, string workingDirectory,
        IDictionary<string, string> environment, Action<Line> onLine, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(command.FileName, CommandLineArguments.Join(command.LeadingArguments.Concat(arguments)))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var variable in environment)
        {
            start.Environment[variable.Key] = variable.Value;
        }

        using var lines = new BlockingCollection<Line>();
        using var process = new Process { StartInfo = start };
        var openStreams = 2;
        void Receive(string? data, bool fromError)
        {
            if (data is null)
            {
                if (Interlocked.Decrement(ref openStreams) == 0)
                {
                    lines.CompleteAdding();
                }

                return;
            }

            lines.Add(new Line(data, fromError));
        }

        process.OutputDataReceived += (_, e) => Receive(e.Data, false);
        process.ErrorDataReceived += (_, e) => Receive(e.Data, true);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var registration = cancellation.Register(() => ProcessTree.Kill(process));
        try
        {
            foreach (var line in lines.GetConsumingEnumerable(cancellation))
            {
                onLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            ProcessTree.Kill(process);
            process.WaitForExit(10_000);
            throw;
        }

        process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        return process.ExitCode;
    }
}
