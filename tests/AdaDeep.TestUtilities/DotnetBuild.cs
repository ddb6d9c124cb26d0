using System.Diagnostics;
using System.Runtime.Loader;
using System.Text;

namespace AdaDeep.TestUtilities;

/// <summary>
/// A real `dotnet build` of a test project in a child process, and reading a manifest resource of what it built.
/// Shared by the end-to-end tests of the build task and of `adadeep warm`.
/// </summary>
public static class DotnetBuild
{
    /// <summary>Runs `dotnet build PROJECT` with normal verbosity (so skipped targets are logged); returns exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, string project, IEnumerable<string> arguments) =>
        Run(workingDirectory, "build", project, arguments);

    /// <summary>Runs `dotnet VERB PROJECT` (build, clean) as <see cref="Run(string, string, IEnumerable{string})"/> does.</summary>
    public static (int ExitCode, string Output) Run(string workingDirectory, string verb, string project, IEnumerable<string> arguments)
    {
        var output = new StringBuilder();
        using var process = Start(workingDirectory, verb, project, arguments, output);
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {verb} did not finish in 5 minutes:\n" + output);
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Starts `dotnet VERB PROJECT` (its output is appended to <paramref name="output"/>, under its lock) without waiting.</summary>
    public static Process Start(string workingDirectory, string verb, string project, IEnumerable<string> arguments, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { verb, project, "-nologo", "-v:n", "-nodeReuse:false", "-p:UseAppHost=false" }.Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        // The test host may run inside an MSBuild-launched `dotnet test`, or have registered the SDK's MSBuild with
        // MSBuildLocator (which sets MSBuild* variables): the child build must find its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase) || k.Equals("MSBUILD_EXE_PATH", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The bytes of a manifest resource of a built assembly (loaded in a collectible context, not locked).</summary>
    public static byte[]? ReadResource(string assemblyPath, string logicalName)
    {
        var context = new AssemblyLoadContext("adadeep-e2e", isCollectible: true);
        try
        {
            using var image = new MemoryStream(File.ReadAllBytes(assemblyPath));
            var assembly = context.LoadFromStream(image);
            using var stream = assembly.GetManifestResourceStream(logicalName);
            if (stream is null)
            {
                return null;
            }

            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        finally
        {
            context.Unload();
        }
    }
}
