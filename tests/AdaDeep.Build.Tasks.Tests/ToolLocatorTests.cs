namespace AdaDeep.Build.Tasks.Tests;

public class ToolLocatorTests
{
    private static string Scratch()
    {
        var dir = Path.Combine(Path.GetTempPath(), "adadeep-locator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Finds_the_manifest_upwards_and_the_entry_point_in_the_package_folder()
    {
        var root = Scratch();
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "repo", ".config"));
            File.WriteAllText(Path.Combine(root, "repo", ".config", "dotnet-tools.json"),
                """{"version": 1, "isRoot": true, "tools": {"AdaDeep.Tool": {"version": "0.1.0-Local.3", "commands": ["adadeep"]}}}""");
            var project = Path.Combine(root, "repo", "src", "app");
            Directory.CreateDirectory(project);

            var manifest = ToolLocator.FindManifest(project)!;
            Assert.Equal("0.1.0-Local.3", manifest.Version);

            var packages = Path.Combine(root, "packages");
            Assert.Null(ToolLocator.EntryPointInPackage(packages, manifest.Version));
            var toolFolder = Path.Combine(packages, "adadeep.tool", "0.1.0-local.3", "tools", "net10.0", "any");
            Directory.CreateDirectory(toolFolder);
            File.WriteAllText(Path.Combine(toolFolder, "DotnetToolSettings.xml"),
                """<?xml version="1.0" encoding="utf-8"?><DotNetCliTool Version="1"><Commands><Command Name="adadeep" EntryPoint="adadeep.dll" Runner="dotnet" /></Commands></DotNetCliTool>""");
            File.WriteAllText(Path.Combine(toolFolder, "adadeep.dll"), "");
            Assert.Equal(Path.Combine(toolFolder, "adadeep.dll"), ToolLocator.EntryPointInPackage(packages, manifest.Version));

            var resolve = new AdaDeepResolveTool { BuildEngine = new MockBuildEngine(), ProjectDirectory = project, NuGetPackageRoot = packages, RestoreIfMissing = false };
            Assert.True(resolve.Execute());
            Assert.Equal(Path.Combine(toolFolder, "adadeep.dll"), resolve.ResolvedToolPath);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Package_folders_follow_the_sdk_order_and_a_relative_globalPackagesFolder_is_relative_to_its_config()
    {
        var root = Scratch();
        try
        {
            var repo = Path.Combine(root, "repo");
            Directory.CreateDirectory(Path.Combine(repo, "src"));
            File.WriteAllText(Path.Combine(repo, "NuGet.Config"),
                """<configuration><config><add key="globalPackagesFolder" value="packages" /></config></configuration>""");

            Assert.Equal(Path.Combine(repo, "packages"), ToolLocator.GlobalPackagesFolder(repo));
            var roots = ToolLocator.PackageRoots(Path.Combine(root, "restore"), Path.Combine(repo, "src"));
            Assert.Equal(Path.Combine(root, "restore"), roots[0]);
            Assert.Contains(Path.Combine(repo, "packages"), roots);
            Assert.True(roots.ToList().IndexOf(Path.Combine(repo, "packages")) < roots.ToList().FindIndex(r => r.EndsWith(Path.Combine(".nuget", "packages"), StringComparison.Ordinal)));

            // The tool is found in the repository folder although the restore's own folder does not hold it.
            var toolFolder = Path.Combine(repo, "packages", "adadeep.tool", "1.2.3", "tools", "net10.0", "any");
            Directory.CreateDirectory(toolFolder);
            File.WriteAllText(Path.Combine(toolFolder, "DotnetToolSettings.xml"),
                """<DotNetCliTool Version="1"><Commands><Command Name="adadeep" EntryPoint="adadeep.dll" Runner="dotnet" /></Commands></DotNetCliTool>""");
            File.WriteAllText(Path.Combine(toolFolder, "adadeep.dll"), "");
            File.WriteAllText(Path.Combine(repo, "dotnet-tools.json"), """{"version": 1, "isRoot": true, "tools": {"adadeep.tool": {"version": "1.2.3"}}}""");
            var resolve = new AdaDeepResolveTool
            {
                BuildEngine = new MockBuildEngine(), ProjectDirectory = Path.Combine(repo, "src"), NuGetPackageRoot = Path.Combine(root, "restore"), RestoreIfMissing = false,
            };
            Assert.True(resolve.Execute());
            Assert.Equal(Path.Combine(toolFolder, "adadeep.dll"), resolve.ResolvedToolPath);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_pointer_package_leads_to_the_package_of_this_machines_rid_and_its_dll()
    {
        var root = Scratch();
        try
        {
            var packages = Path.Combine(root, "packages");
            var pointer = Path.Combine(packages, "adadeep.tool", "0.2.0", "tools", "any", "any");
            Directory.CreateDirectory(pointer);
            // What `dotnet pack` with ToolPackageRuntimeIdentifiers writes into AdaDeep.Tool (SDK 10.0.401).
            File.WriteAllText(Path.Combine(pointer, "DotnetToolSettings.xml"),
                """<?xml version="1.0" encoding="utf-8"?><DotNetCliTool Version="2"><Commands><Command Name="adadeep" /></Commands><RuntimeIdentifierPackages><RuntimeIdentifierPackage RuntimeIdentifier="linux-x64" Id="AdaDeep.Tool.linux-x64" /><RuntimeIdentifierPackage RuntimeIdentifier="osx-arm64" Id="AdaDeep.Tool.osx-arm64" /></RuntimeIdentifierPackages></DotNetCliTool>""");
            var rids = new[] { "osx-arm64" };
            Assert.Null(ToolLocator.EntryPointInPackage(packages, ToolLocator.PackageId, "0.2.0", rids));

            var ridFolder = Path.Combine(packages, "adadeep.tool.osx-arm64", "0.2.0", "tools", "net10.0", "osx-arm64");
            Directory.CreateDirectory(ridFolder);
            File.WriteAllText(Path.Combine(ridFolder, "DotnetToolSettings.xml"),
                """<?xml version="1.0" encoding="utf-8"?><DotNetCliTool Version="2"><Commands><Command Name="adadeep" EntryPoint="adadeep" Runner="executable" /></Commands></DotNetCliTool>""");
            File.WriteAllText(Path.Combine(ridFolder, "adadeep"), "");
            Assert.Equal(Path.Combine(ridFolder, "adadeep"), ToolLocator.EntryPointInPackage(packages, ToolLocator.PackageId, "0.2.0", rids));
            // With the .dll beside the apphost, the .dll: the build's own dotnet runs it.
            File.WriteAllText(Path.Combine(ridFolder, "adadeep.dll"), "");
            Assert.Equal(Path.Combine(ridFolder, "adadeep.dll"), ToolLocator.EntryPointInPackage(packages, ToolLocator.PackageId, "0.2.0", rids));

            // A RID the pointer does not list, and one it lists that is not installed, find nothing.
            Assert.Null(ToolLocator.EntryPointInPackage(packages, ToolLocator.PackageId, "0.2.0", new[] { "win-arm64" }));
            Assert.Null(ToolLocator.EntryPointInPackage(packages, ToolLocator.PackageId, "0.2.0", new[] { "linux-x64" }));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void This_machines_rid_is_the_portable_rid_the_runtime_reports()
    {
        // The task composes it (netstandard2.0 lacks RuntimeIdentifier); .NET 8+ reports the portable RID, e.g. linux-x64.
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, Assert.Single(ToolLocator.CurrentRuntimeIdentifiers()));
    }

    [Fact]
    public void A_root_manifest_without_the_tool_ends_the_search()
    {
        var root = Scratch();
        try
        {
            File.WriteAllText(Path.Combine(root, "dotnet-tools.json"), """{"version": 1, "tools": {"adadeep.tool": {"version": "9.9.9"}}}""");
            Directory.CreateDirectory(Path.Combine(root, "inner"));
            File.WriteAllText(Path.Combine(root, "inner", "dotnet-tools.json"), """{"version": 1, "isRoot": true, "tools": {}}""");
            Assert.Null(ToolLocator.FindManifest(Path.Combine(root, "inner")));
            Assert.Equal("9.9.9", ToolLocator.FindManifest(root)!.Version);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Explicit_tool_path_must_exist_and_no_manifest_is_an_error()
    {
        var root = Scratch();
        try
        {
            var engine = new MockBuildEngine();
            var explicitPath = new AdaDeepResolveTool { BuildEngine = engine, ProjectDirectory = root, ToolPath = "tools/adadeep.dll" };
            Assert.False(explicitPath.Execute());
            Assert.Equal(BuildErrorCodes.ToolNotFound, Assert.Single(engine.Errors).Code);

            File.WriteAllText(Path.Combine(root, "dotnet-tools.json"), """{"isRoot": true, "tools": {}}""");
            var noManifest = new AdaDeepResolveTool { BuildEngine = engine, ProjectDirectory = root };
            Assert.False(noManifest.Execute());
            Assert.Contains("dotnet tool install AdaDeep.Tool", engine.Errors[1].Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_dll_runs_through_the_dotnet_host_and_anything_else_directly()
    {
        var dll = ToolCommand.For("/t/adadeep.dll", "/usr/bin/dotnet");
        Assert.Equal("/usr/bin/dotnet", dll.FileName);
        Assert.Equal(new[] { "exec", "/t/adadeep.dll" }, dll.LeadingArguments);
        Assert.Equal("/t", dll.ToolDirectory);

        var exe = ToolCommand.For("/t/adadeep");
        Assert.Equal("/t/adadeep", exe.FileName);
        Assert.Empty(exe.LeadingArguments);
    }
}
