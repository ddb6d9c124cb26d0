using System.Reflection;
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
    public (int ExitCode, string Output) Build(params string[] arguments) =>
        DotnetBuild.Run(ProjectDirectory, "App.csproj", arguments);

    /// <summary>The bytes of a manifest resource of a built assembly.</summary>
    public static byte[]? ReadResource(string assemblyPath, string logicalName) => DotnetBuild.ReadResource(assemblyPath, logicalName);

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
