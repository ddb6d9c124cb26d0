using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AdaDeep.Bench.Building;

/// <summary>
/// A throw-away copy of sample-app/ built the way a user builds it: AdaDeep.Build and AdaDeep.Tool packed from this
/// checkout into a scratch feed under a version of their own (so no stale 0.1.0 from any package cache can stand
/// in), restored through the sample's nuget.config into the copy's private package folder, and every build given its
/// own ADADEEP_CACHE_DIR inside the scratch folder. Dispose deletes everything; the user's cache and package folder
/// are never written (the user's package folder is only read, as a fallback, for third-party packages).
/// Layout: &lt;scratch&gt;/{sample-app, sample-app-noitem, artifacts/feed, models → repo models, .data/mnist → repo MNIST},
/// the same relative paths the sample's csproj and nuget.config use inside the repository.
/// </summary>
public sealed class SampleAppSandbox : IDisposable
{
    public const string Configuration = "Release";

    public const string LogicalName = "AdaDeep.mnist-8.onnx";

    public const string AssemblyFile = "AdaDeep.SampleApp.dll";

    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    private SampleAppSandbox(string root, string packageVersion)
    {
        Root = root;
        PackageVersion = packageVersion;
    }

    public string Root { get; }

    /// <summary>The version the packages were packed under, e.g. 0.1.0-bench.20261125120501.</summary>
    public string PackageVersion { get; }

    /// <summary>The sample app, unchanged apart from the package versions (and TimeBudgetSeconds when asked).</summary>
    public string AppDirectory => Path.Combine(Root, "sample-app");

    /// <summary>The same app without its AdaDeepModel item (the package is still referenced): the baseline.</summary>
    public string NoItemAppDirectory => Path.Combine(Root, "sample-app-noitem");

    public string CacheDirectory(string name) => Path.Combine(Root, "cache-" + name);

    /// <summary>The TimeBudgetSeconds of sample-app's AdaDeepModel item(s) as committed ("default" when not set).</summary>
    public string OriginalTimeBudgetSeconds { get; private set; } = "";

    /// <summary>Packs, copies and restores (minutes: packing the tool zips libtorch). timeBudgetSeconds: override the item's, or null.</summary>
    public static SampleAppSandbox Create(RepoLayout repo, int? timeBudgetSeconds, Action<string> log)
    {
        var version = "0.1.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var sandbox = new SampleAppSandbox(RepoLayout.ScratchDirectory("build-overhead"), version);
        try
        {
            sandbox.Prepare(repo, timeBudgetSeconds, log);
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    private void Prepare(RepoLayout repo, int? timeBudgetSeconds, Action<string> log)
    {
        var feed = Path.Combine(Root, "artifacts", "feed");
        log($"packing AdaDeep.Build and AdaDeep.Tool {PackageVersion} into {feed}");
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        Dotnet(repo.Root, null, "pack", "src/AdaDeep.Build.Tasks/AdaDeep.Build.Tasks.csproj", "-c", Configuration, "-o", feed, "-nologo", "-v:q",
            $"-p:PackageVersion={PackageVersion}").EnsureSucceeded("packing AdaDeep.Build");
        // As scripts/pack.sh: a tool package for this machine's runtime only (one platform's libtorch).
        Dotnet(repo.Root, null, "pack", "src/AdaDeep.Cli/AdaDeep.Cli.csproj", "-c", Configuration, "-o", feed, "-nologo", "-v:q",
            $"-p:PackageVersion={PackageVersion}", $"-p:RuntimeIdentifier={rid}", "-p:SelfContained=false").EnsureSucceeded("packing AdaDeep.Tool");

        Directory.CreateSymbolicLink(Path.Combine(Root, "models"), Path.Combine(repo.Root, "models"));
        Directory.CreateDirectory(Path.Combine(Root, ".data"));
        Directory.CreateSymbolicLink(Path.Combine(Root, ".data", "mnist"), repo.Mnist);

        var source = Path.Combine(repo.Root, "sample-app");
        CopySampleApp(source, AppDirectory);
        CopySampleApp(source, NoItemAppDirectory);
        var manifest = Path.Combine(AppDirectory, ".config", "dotnet-tools.json");
        File.WriteAllText(manifest, Regex.Replace(File.ReadAllText(manifest), "(\"version\"\\s*:\\s*)\"[^\"]*\"", $"$1\"{PackageVersion}\""));
        OriginalTimeBudgetSeconds = EditProject(Path.Combine(AppDirectory, "SampleApp.csproj"), keepModels: true, timeBudgetSeconds);
        EditProject(Path.Combine(NoItemAppDirectory, "SampleApp.csproj"), keepModels: false, null);

        log("restoring the two copies and the local tool");
        Dotnet(AppDirectory, null, "tool", "restore").EnsureSucceeded("dotnet tool restore");
        foreach (var app in new[] { AppDirectory, NoItemAppDirectory })
        {
            var restore = new List<string> { "restore", "SampleApp.csproj", "-nologo", "-v:q", $"-p:AdaDeepSampleVersion={PackageVersion}" };
            var userPackages = UserPackageFolder();
            if (Directory.Exists(userPackages))
            {
                // Read-only fallback for ONNX Runtime (hundreds of MB): no download, nothing written there.
                restore.Add($"-p:RestoreAdditionalProjectFallbackFolders={userPackages}");
            }

            Dotnet(app, null, restore.ToArray()).EnsureSucceeded($"restoring {Path.GetFileName(app)}");
        }
    }

    /// <summary>`dotnet build` of one copy, restore excluded, with the performance summary; cacheDirectory becomes ADADEEP_CACHE_DIR.</summary>
    public BuildRun Build(string appDirectory, string cacheDirectory, params string[] extra)
    {
        var args = new List<string> { "build", "SampleApp.csproj", "-c", Configuration, "--no-restore", "-nologo", "-nodeReuse:false",
            "-v:m", "-clp:PerformanceSummary", $"-p:AdaDeepSampleVersion={PackageVersion}" };
        args.AddRange(extra);
        return Dotnet(appDirectory, cacheDirectory, args.ToArray());
    }

    /// <summary>A clean build without touching the restore: bin/ and obj/&lt;Configuration&gt;/ go, obj/project.assets.json stays.</summary>
    public static void Clean(string appDirectory)
    {
        DeleteDirectory(Path.Combine(appDirectory, "bin"));
        DeleteDirectory(Path.Combine(appDirectory, "obj", Configuration));
    }

    public void Dispose() => RepoLayout.DeleteQuietly(Root);

    private BuildRun Dotnet(string directory, string? cacheDirectory, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            // Never the user's cache: an empty scratch folder unless the caller names one.
            ["ADADEEP_CACHE_DIR"] = cacheDirectory ?? CacheDirectory("none"),
        };
        return DotnetCli.Run(directory, args, environment, BuildTimeout);
    }

    private static string UserPackageFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static void CopySampleApp(string source, string destination)
    {
        var skip = new[] { "bin", "obj", "packages" };
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (skip.Contains(relative.Split(Path.DirectorySeparatorChar)[0]))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Drops the AdaDeepModel items (keepModels false) or overrides their TimeBudgetSeconds; returns the items' own budget.</summary>
    private static string EditProject(string path, bool keepModels, int? timeBudgetSeconds)
    {
        var project = XDocument.Load(path, LoadOptions.PreserveWhitespace);
        var items = project.Descendants().Where(e => e.Name.LocalName == "AdaDeepModel").ToList();
        if (items.Count == 0)
        {
            throw new InvalidOperationException($"{path}: no AdaDeepModel item: the build-overhead suite expects sample-app to compress a model");
        }

        var original = string.Join(",", items.Select(i => (string?)i.Attribute("TimeBudgetSeconds") ?? "default"));
        if (!keepModels)
        {
            items.ForEach(i => i.Remove());
        }
        else if (timeBudgetSeconds is int seconds)
        {
            items.ForEach(i => i.SetAttributeValue("TimeBudgetSeconds", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        project.Save(path);
        return original;
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
