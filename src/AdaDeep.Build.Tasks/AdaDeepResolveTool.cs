using System.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Resolves the `adadeep` tool to a file: <see cref="ToolPath"/> (AdaDeepToolPath) when given, else AdaDeep.Tool from
/// the local tool manifest, running `dotnet tool restore` once when the manifest's version is not installed yet.
/// </summary>
public sealed class AdaDeepResolveTool : Microsoft.Build.Utilities.Task
{
    /// <summary>AdaDeepToolPath: an adadeep.dll, an executable or a script; relative to the project folder.</summary>
    public string? ToolPath { get; set; }

    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>$(NuGetPackageRoot), where `dotnet tool restore` installs local tools.</summary>
    public string? NuGetPackageRoot { get; set; }

    /// <summary>Run `dotnet tool restore` when the manifest's tool is not installed (default true).</summary>
    public bool RestoreIfMissing { get; set; } = true;

    [Output]
    public string ResolvedToolPath { get; private set; } = "";

    public override bool Execute()
    {
        ResolvedToolPath = Resolve() ?? "";
        return !Log.HasLoggedErrors;
    }

    internal string? Resolve()
    {
        if (!string.IsNullOrWhiteSpace(ToolPath))
        {
            var path = Path.GetFullPath(Path.Combine(ProjectDirectory, ToolPath!.Trim()));
            if (File.Exists(path))
            {
                return path;
            }

            Log.LogError(null, BuildErrorCodes.ToolNotFound, null, path, 0, 0, 0, 0,
                $"AdaDeepToolPath '{ToolPath}' does not exist (give adadeep.dll, the adadeep executable, or leave it empty to use the local tool manifest)");
            return null;
        }

        var manifest = ToolLocator.FindManifest(ProjectDirectory);
        if (manifest is null)
        {
            Log.LogError(null, BuildErrorCodes.ToolNotFound, null, ProjectDirectory, 0, 0, 0, 0,
                "the adadeep tool was not found: no AdaDeepToolPath and no local tool manifest lists AdaDeep.Tool; run `dotnet new tool-manifest` and `dotnet tool install AdaDeep.Tool` in the project (or solution) folder, or set AdaDeepToolPath");
            return null;
        }

        var manifestFolder = ManifestFolder(Path.GetDirectoryName(manifest.Path)!);
        var roots = ToolLocator.PackageRoots(NuGetPackageRoot, manifestFolder);
        string? Find() => roots.Select(root => ToolLocator.EntryPointInPackage(root, manifest.Version)).FirstOrDefault(e => e is not null);
        var entry = Find();
        if (entry is null && RestoreIfMissing)
        {
            Log.LogMessage(MessageImportance.Normal, $"AdaDeep: AdaDeep.Tool {manifest.Version} is not installed yet; running `dotnet tool restore` in {manifestFolder}");
            RestoreTools(manifestFolder);
            entry = Find();
        }

        if (entry is null)
        {
            Log.LogError(null, BuildErrorCodes.ToolNotFound, null, manifest.Path, 0, 0, 0, 0,
                $"AdaDeep.Tool {manifest.Version} from this tool manifest is not installed in any package folder ({string.Join(", ", roots)}); run `dotnet tool restore`");
            return null;
        }

        return entry;
    }

    /// <summary>The folder `dotnet tool restore` runs in: the manifest's, or the one above .config/.</summary>
    private static string ManifestFolder(string directory) =>
        Path.GetFileName(directory) == ".config" ? Path.GetDirectoryName(directory)! : directory;

    private void RestoreTools(string manifestFolder)
    {
        var start = new ProcessStartInfo(ToolCommand.DotnetHost(), "tool restore")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            WorkingDirectory = manifestFolder,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Log.LogMessage(MessageImportance.Low, stdout + stderr.Result);
        if (process.ExitCode != 0)
        {
            Log.LogWarning($"AdaDeep: `dotnet tool restore` exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }
}
