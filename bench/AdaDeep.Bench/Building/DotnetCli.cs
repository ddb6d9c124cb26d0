using System.Diagnostics;
using System.Text;

namespace AdaDeep.Bench.Building;

/// <summary>
/// Runs the `dotnet` CLI as a child process with a clean MSBuild environment (the benchmark itself may run under
/// `dotnet run`, whose MSBuild variables would leak into the child build) and the given extra variables.
/// </summary>
public static class DotnetCli
{
    public static BuildRun Run(string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase) || k.Equals("MSBUILD_EXE_PATH", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No MSBuild worker nodes left running after the benchmark (they would hold its scratch packages).
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in {timeout.TotalMinutes:0} min");
        }

        process.WaitForExit();
        watch.Stop();
        lock (output)
        {
            return new BuildRun(process.ExitCode, watch.Elapsed.TotalSeconds, output.ToString());
        }
    }
}
