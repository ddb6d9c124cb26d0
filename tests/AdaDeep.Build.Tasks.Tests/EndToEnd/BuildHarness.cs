using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using AdaDeep.TestUtilities;

namespace AdaDeep.Build.Tasks.Tests.EndToEnd;

/// <summary>
/// A temporary SDK project that imports build/AdaDeep.Build.props and .targets the way a package would (through
/// Directory.Build.props/.targets, which MSBuild imports at the same points as a package's build/ files), with
/// its own cache folder and the fake tool, built by a real `dotnet build`.
/// </summary>
internal sealed class BuildHarness : IDisposable
{
    public BuildHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "adadeep-e2e", Guid.NewGuid().ToString("N"));
        ProjectDirectory = Path.Combine(Root, "app");
        Directory.CreateDirectory(Path.Combine(ProjectDirectory, "models"));
        TinyModels.Mlp().Save(Path.Combine(ProjectDirectory, "models", "mlp.onnx"));
        CacheDirectory = Path.Combine(Root, "cache");
        ToolLog = Path.Combine(Root, "tool-runs.log");
        var tool = FakeTool.Write(Path.Combine(Root, "tool"), ToolLog);
        var buildFolder = Path.Combine(AppContext.BaseDirectory, "build");
        var tasks = typeof(AdaDeepCompress).Assembly.Location;

        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"),
            $"<Project><Import Project=\"{Path.Combine(buildFolder, "AdaDeep.Build.props")}\" /></Project>");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"),
            $"<Project><Import Project=\"{Path.Combine(buildFolder, "AdaDeep.Build.targets")}\" /></Project>");
        // No package sources are needed, and none of the machine's should be consulted.
        File.WriteAllText(Path.Combine(Root, "nuget.config"),
            "<configuration><packageSources><clear /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(ProjectDirectory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <AdaDeepToolPath>{tool}</AdaDeepToolPath>
                <AdaDeepCacheDir>{CacheDirectory}</AdaDeepCacheDir>
                <AdaDeepTasksAssembly>{tasks}</AdaDeepTasksAssembly>
                <TestLatency Condition="'$(TestLatency)' == ''">10</TestLatency>
              </PropertyGroup>
              <ItemGroup>
                <AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="$(TestLatency)" MinAccuracy="0.9" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(ProjectDirectory, "Marker.cs"), "namespace App; public static class Marker { }");
    }

    public string Root { get; }

    public string ProjectDirectory { get; }

    public string CacheDirectory { get; }

    public string ToolLog { get; }

    public int ToolRuns => FakeTool.Runs(ToolLog).Length;

    /// <summary>Runs `dotnet build` with normal verbosity (so skipped targets are logged); returns exit code and output.</summary>
    public (int ExitCode, string Output) Build(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "build", "App.csproj", "-nologo", "-v:n", "-nodeReuse:false", "-p:UseAppHost=false" }.Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        // The test host may run inside an MSBuild-launched `dotnet test`; a nested build must not inherit its MSBuild.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet build did not finish in 5 minutes:\n" + output);
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
