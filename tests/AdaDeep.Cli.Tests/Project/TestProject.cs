using System.Reflection;
using AdaDeep.Cli.Project;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>
/// A temporary SDK project that imports build/AdaDeep.Build.props and .targets the way the AdaDeep.Build package
/// would (through Directory.Build.props/.targets), with tiny models written to disk, its own cache folder and the
/// task assembly built from this repository.
/// </summary>
internal sealed class TestProject : IDisposable
{
    public TestProject(string items, string properties = "")
    {
        Root = Path.Combine(Path.GetTempPath(), "adadeep-project-tests", Guid.NewGuid().ToString("N"));
        ProjectDirectory = Path.Combine(Root, "app");
        CacheDirectory = Path.Combine(Root, "cache");
        Directory.CreateDirectory(Path.Combine(ProjectDirectory, "models"));
        TinyModels.Mlp().Save(Path.Combine(ProjectDirectory, "models", "mlp.onnx"));
        TinyModels.LeNetLike().Save(Path.Combine(ProjectDirectory, "models", "lenet.onnx"));
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"),
            $"<Project><Import Project=\"{RepoPaths.PathOf("build", "AdaDeep.Build.props")}\" /></Project>");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"),
            $"<Project><Import Project=\"{RepoPaths.PathOf("build", "AdaDeep.Build.targets")}\" /></Project>");
        // No package sources are needed, and none of the machine's should be consulted.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), "<configuration><packageSources><clear /></packageSources></configuration>");
        ProjectPath = Path.Combine(ProjectDirectory, "App.csproj");
        File.WriteAllText(ProjectPath, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <AdaDeepCacheDir>{CacheDirectory}</AdaDeepCacheDir>
                <AdaDeepTasksAssembly>{TasksAssembly}</AdaDeepTasksAssembly>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
            </Project>
            """);
    }

    public string Root { get; }

    public string ProjectDirectory { get; }

    public string ProjectPath { get; }

    public string CacheDirectory { get; }

    /// <summary>AdaDeep.Build.Tasks.dll as built from src/ in the configuration of these tests (a project reference builds it).</summary>
    public static string TasksAssembly => RepoPaths.PathOf("src", "AdaDeep.Build.Tasks", "bin",
        typeof(TestProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug",
        "netstandard2.0", "AdaDeep.Build.Tasks.dll");

    public string WriteFile(string relativePath, string text)
    {
        var path = Path.Combine(ProjectDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// Writes an `adadeep` stand-in into <paramref name="folder"/> that records each start in <see cref="ToolRunsLog"/>
    /// and fails: a build that starts it did not find its model in the cache. Returns the script's path.
    /// </summary>
    public string WriteFailingTool(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "adadeep");
        File.WriteAllText(path, $"#!/usr/bin/env bash\necho \"$*\" >> '{ToolRunsLog}'\necho 'adadeep: error ADA9001: the engine must not run' >&2\nexit 70\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>One line per start of the failing tool.</summary>
    public string ToolRunsLog => Path.Combine(Root, "tool-runs.log");

    public int ToolRuns => File.Exists(ToolRunsLog) ? File.ReadAllLines(ToolRunsLog).Length : 0;

    public ProjectPlan Plan(string? configuration = null, string[]? devices = null, Dictionary<string, string>? properties = null) =>
        ProjectPlanner.Plan(new ProjectSelection(ProjectPath, configuration, devices ?? Array.Empty<string>(),
            properties ?? new Dictionary<string, string>()), Root);

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
