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
    /// <param name="mode">How the fake tool behaves.</param>
    /// <param name="viaManifest">Install the fake tool as the AdaDeep.Tool package of a local tool manifest, in the
    /// packages folder a repository nuget.config names (globalPackagesFolder), instead of setting AdaDeepToolPath.</param>
    public BuildHarness(FakeTool.Mode mode = FakeTool.Mode.Succeed, bool viaManifest = false)
    {
        Root = Path.Combine(Path.GetTempPath(), "adadeep-e2e", Guid.NewGuid().ToString("N"));
        ProjectDirectory = Path.Combine(Root, "app");
        Directory.CreateDirectory(Path.Combine(ProjectDirectory, "models"));
        TinyModels.Mlp().Save(Path.Combine(ProjectDirectory, "models", "mlp.onnx"));
        CacheDirectory = Path.Combine(Root, "cache");
        ToolLog = Path.Combine(Root, "tool-runs.log");
        var tool = viaManifest ? InstallAsPackage(mode) : FakeTool.Write(Path.Combine(Root, "tool"), ToolLog, mode);
        var buildFolder = Path.Combine(AppContext.BaseDirectory, "build");
        var tasks = typeof(AdaDeepCompress).Assembly.Location;

        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"),
            $"<Project><Import Project=\"{Path.Combine(buildFolder, "AdaDeep.Build.props")}\" /></Project>");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"),
            $"<Project><Import Project=\"{Path.Combine(buildFolder, "AdaDeep.Build.targets")}\" /></Project>");
        // No package sources are needed, and none of the machine's should be consulted.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), viaManifest
            ? "<configuration><config><add key=\"globalPackagesFolder\" value=\"packages\" /></config><packageSources><clear /></packageSources></configuration>"
            : "<configuration><packageSources><clear /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(ProjectDirectory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                {(viaManifest ? "" : $"<AdaDeepToolPath>{tool}</AdaDeepToolPath>")}
                <AdaDeepCacheDir>{CacheDirectory}</AdaDeepCacheDir>
                <AdaDeepTasksAssembly>{tasks}</AdaDeepTasksAssembly>
                <TestLatency Condition="'$(TestLatency)' == ''">10</TestLatency>
              </PropertyGroup>
              <ItemGroup>
                <AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="$(TestLatency)" MinAccuracy="0.9" />
              </ItemGroup>
            </Project>
            """);
        // Compiles only if the build generated the accessor of the item (AdaDeepModels.g.cs in obj/).
        File.WriteAllText(Path.Combine(ProjectDirectory, "Marker.cs"),
            "namespace App; public static class Marker { public static byte[] Model() => AdaDeepModels.Mlp.ReadAllBytes(); }");
    }

    public string Root { get; }

    public string ProjectDirectory { get; }

    public string CacheDirectory { get; }

    public string ToolLog { get; }

    public int ToolRuns => FakeTool.Runs(ToolLog).Length;

    /// <summary>The compressed models in obj/ of the default build (delete it to turn the next build into a cache hit).</summary>
    public string AdaDeepOutputs => Path.Combine(ProjectDirectory, "obj", "Debug", "net10.0", "adadeep");

    /// <summary>
    /// The fake tool as `dotnet tool restore` would install AdaDeep.Tool 0.1.0: a local manifest at the root and the
    /// package under <c>packages/adadeep.tool/0.1.0/tools/net10.0/any/</c>, with DotnetToolSettings.xml naming it.
    /// </summary>
    private string InstallAsPackage(FakeTool.Mode mode)
    {
        Directory.CreateDirectory(Path.Combine(Root, ".config"));
        File.WriteAllText(Path.Combine(Root, ".config", "dotnet-tools.json"),
            """{"version": 1, "isRoot": true, "tools": {"adadeep.tool": {"version": "0.1.0", "commands": ["adadeep"]}}}""");
        var folder = Path.Combine(Root, "packages", "adadeep.tool", "0.1.0", "tools", "net10.0", "any");
        var script = FakeTool.Write(folder, ToolLog, mode);
        File.WriteAllText(Path.Combine(folder, "DotnetToolSettings.xml"),
            """<?xml version="1.0" encoding="utf-8"?><DotNetCliTool Version="1"><Commands><Command Name="adadeep" EntryPoint="adadeep" Runner="executable" /></Commands></DotNetCliTool>""");
        return script;
    }

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
