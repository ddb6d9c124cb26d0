using System.Runtime.InteropServices;
using System.Xml.Linq;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Build.Tasks;

/// <summary>
/// Finds the `adadeep` tool: AdaDeepToolPath when set; else the AdaDeep.Tool entry of the nearest local tool manifest
/// (.config/dotnet-tools.json or dotnet-tools.json, searched upwards from the project like `dotnet tool run` does),
/// located in the NuGet package folder, where `dotnet tool restore` puts it. Running the package's .dll directly
/// instead of `dotnet tool run adadeep` pins the same version and lets the task hash the tool's files for the key.
/// </summary>
internal static class ToolLocator
{
    public const string PackageId = "adadeep.tool";

    public sealed record Manifest(string Path, string Version);

    /// <summary>The nearest manifest that lists AdaDeep.Tool, or null. Stops at a manifest marked isRoot.</summary>
    public static Manifest? FindManifest(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, ".config", "dotnet-tools.json"), Path.Combine(dir.FullName, "dotnet-tools.json") })
            {
                if (!File.Exists(candidate))
                {
                    continue;
                }

                Dictionary<string, object?> obj;
                try
                {
                    obj = CacheJson.ParseObject(File.ReadAllText(candidate));
                }
                catch (FormatException)
                {
                    continue;
                }

                if (obj.TryGetValue("tools", out var t) && t is Dictionary<string, object?> tools)
                {
                    var entry = tools.FirstOrDefault(p => string.Equals(p.Key, PackageId, StringComparison.OrdinalIgnoreCase));
                    if (entry.Value is Dictionary<string, object?> tool && CacheJson.GetString(tool, "version") is { Length: > 0 } version)
                    {
                        return new Manifest(candidate, version);
                    }
                }

                if (CacheJson.GetBool(obj, "isRoot") == true)
                {
                    return null;
                }
            }
        }

        return null;
    }

    /// <summary>NuGetPackageRoot (from restore), else NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string PackageRoot(string? nugetPackageRoot) => PackageRoots(nugetPackageRoot, null).First();

    /// <summary>
    /// Every folder `dotnet tool restore` may have put the tool into, in the order the SDK decides it: the
    /// restore's own $(NuGetPackageRoot), NUGET_PACKAGES, the globalPackagesFolder of the nearest nuget.config above
    /// <paramref name="manifestDirectory"/> (a relative value is relative to that config file), the user's
    /// NuGet.Config, and ~/.nuget/packages. Distinct, non-empty; the caller takes the first that holds the version.
    /// </summary>
    public static IReadOnlyList<string> PackageRoots(string? nugetPackageRoot, string? manifestDirectory)
    {
        var roots = new List<string>();
        void Add(string? path)
        {
            if (!string.IsNullOrWhiteSpace(path))
            {
                var full = Path.GetFullPath(path!.Trim());
                if (!roots.Contains(full, StringComparer.Ordinal))
                {
                    roots.Add(full);
                }
            }
        }

        Add(nugetPackageRoot);
        Add(Environment.GetEnvironmentVariable("NUGET_PACKAGES"));
        if (manifestDirectory is not null)
        {
            for (var dir = new DirectoryInfo(manifestDirectory); dir is not null; dir = dir.Parent)
            {
                if (GlobalPackagesFolder(dir.FullName) is { } folder)
                {
                    Add(folder);
                    break;
                }
            }
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var userConfigFolder = Environment.OSVersion.Platform == PlatformID.Win32NT
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "NuGet")
            : Path.Combine(home, ".nuget", "NuGet");
        Add(GlobalPackagesFolder(userConfigFolder));
        Add(Path.Combine(home, ".nuget", "packages"));
        return roots;
    }

    /// <summary>The globalPackagesFolder a nuget.config in <paramref name="directory"/> sets, or null.</summary>
    internal static string? GlobalPackagesFolder(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        // NuGet accepts these spellings; on case-sensitive file systems they are different files.
        foreach (var config in Directory.GetFiles(directory).Where(f => Path.GetFileName(f).Equals("nuget.config", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                var value = XDocument.Load(config).Root?.Element("config")?.Elements("add")
                    .FirstOrDefault(e => string.Equals((string?)e.Attribute("key"), "globalPackagesFolder", StringComparison.OrdinalIgnoreCase))
                    ?.Attribute("value")?.Value;
                if (!string.IsNullOrWhiteSpace(value))
                {
                    var expanded = Environment.ExpandEnvironmentVariables(value!.Trim());
                    return Path.GetFullPath(Path.Combine(directory, expanded));
                }
            }
            catch (System.Xml.XmlException)
            {
                // NuGet would fail on it first; nothing to read here.
            }
        }

        return null;
    }

    /// <summary>
    /// The entry point (e.g. adadeep.dll) of an installed tool package, or null when it is not there. A .NET 10
    /// RID-specific tool is a pointer package (tools/any/any/DotnetToolSettings.xml lists RuntimeIdentifierPackages, no
    /// code) plus the package for this machine's RID, which `dotnet tool restore` puts beside it (e.g.
    /// adadeep.tool.linux-x64/0.1.0/); the pointer is followed to that package.
    /// </summary>
    public static string? EntryPointInPackage(string packageRoot, string version) => EntryPointInPackage(packageRoot, PackageId, version, CurrentRuntimeIdentifiers());

    internal static string? EntryPointInPackage(string packageRoot, string packageId, string version, IReadOnlyList<string> runtimeIdentifiers)
    {
        var tools = Path.Combine(packageRoot, packageId.ToLowerInvariant(), version.ToLowerInvariant(), "tools");
        if (!Directory.Exists(tools))
        {
            return null;
        }

        // tools/<tfm>/<rid or any>/DotnetToolSettings.xml names the entry point; prefer the newest framework folder.
        foreach (var settings in Directory.GetFiles(tools, "DotnetToolSettings.xml", SearchOption.AllDirectories).OrderByDescending(f => f, StringComparer.Ordinal))
        {
            var document = XDocument.Load(settings);
            var pointedTo = document.Descendants().Where(e => e.Name.LocalName == "RuntimeIdentifierPackage")
                .Select(e => (Rid: e.Attribute("RuntimeIdentifier")?.Value, Id: e.Attribute("Id")?.Value))
                .Where(p => !string.IsNullOrEmpty(p.Rid) && !string.IsNullOrEmpty(p.Id))
                .ToList();
            if (pointedTo.Count > 0)
            {
                // The first of this machine's RIDs (most specific first) that the pointer lists, as the SDK picks it.
                foreach (var rid in runtimeIdentifiers)
                {
                    var match = pointedTo.FirstOrDefault(p => string.Equals(p.Rid, rid, StringComparison.OrdinalIgnoreCase));
                    if (match.Id is not null)
                    {
                        return EntryPointInPackage(packageRoot, match.Id, version, runtimeIdentifiers);
                    }
                }

                return null;
            }

            var entry = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Command")?.Attribute("EntryPoint")?.Value;
            if (!string.IsNullOrEmpty(entry))
            {
                var path = Path.Combine(Path.GetDirectoryName(settings)!, entry);
                // A RID-specific package names its apphost; the .dll beside it is the same program, started with the
                // dotnet that runs the build rather than whichever one the apphost would find.
                var dll = Path.Combine(Path.GetDirectoryName(settings)!, Path.GetFileNameWithoutExtension(entry) + ".dll");
                if (!entry!.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(dll))
                {
                    return dll;
                }

                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// This machine's runtime identifiers, most specific first (e.g. linux-x64, then nothing else: the tool packages
    /// are per OS and architecture). netstandard2.0 has no RuntimeInformation.RuntimeIdentifier, so it is composed.
    /// </summary>
    internal static IReadOnlyList<string> CurrentRuntimeIdentifiers()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
            : null;
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            _ => null,
        };
        return os is null || arch is null ? Array.Empty<string>() : new[] { os + "-" + arch };
    }
}
