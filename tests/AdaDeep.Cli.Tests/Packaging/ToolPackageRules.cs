using System.IO.Compression;
using System.Xml.Linq;

namespace AdaDeep.Cli.Tests.Packaging;

/// <summary>
/// What a packed AdaDeep.Tool.&lt;rid&gt; package may hold (src/AdaDeep.Cli/AdaDeep.Cli.csproj, docs/build.md
/// "Packages"): code only under tools/net10.0/&lt;rid&gt;/; every native binary built for that RID (ELF x86-64,
/// PE AMD64, Mach-O arm64, told by the file's header, not its name); no symbols or import libraries; none of
/// libtorch's Python, test or backend libraries; under nuget.org's 250 MB; the MIT license and README metadata, and
/// the license texts of libtorch and ONNX Runtime, which it redistributes.
/// Returns the violations, empty when the package is fine.
/// </summary>
internal static class ToolPackageRules
{
    public const long MaxPackageBytes = 250L * 1024 * 1024;

    private static readonly string[] NotShippedStems =
        ["libtorch_python", "libjitbackend_test", "libtorchbind_test", "libbackend_with_compiler", "libaoti_custom_ops", "libnnapi_backend"];

    /// <summary>The license texts of what the tool redistributes; every RID package must carry them.</summary>
    public static readonly string[] ThirdPartyLicenses =
        ["third-party/libtorch/LICENSE-LIBTORCH.txt", "third-party/onnxruntime/LICENSE", "third-party/onnxruntime/ThirdPartyNotices.txt"];

    private static readonly string[] PackageMetadata = ["README.md", "[Content_Types].xml", .. ThirdPartyLicenses];

    public static IReadOnlyList<string> CheckRidPackage(string nupkg, string rid)
    {
        var problems = new List<string>();
        if (new FileInfo(nupkg).Length > MaxPackageBytes)
        {
            problems.Add($"{Path.GetFileName(nupkg)} is {new FileInfo(nupkg).Length} bytes, over 250 MB");
        }

        using var zip = ZipFile.OpenRead(nupkg);
        var codeFolder = $"tools/net10.0/{rid}/";
        var nuspec = zip.Entries.SingleOrDefault(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        if (nuspec is null)
        {
            problems.Add("no .nuspec");
        }
        else
        {
            problems.AddRange(CheckMetadata(nuspec, $"AdaDeep.Tool.{rid}", "DotnetToolRidPackage"));
        }

        if (zip.GetEntry(codeFolder + "DotnetToolSettings.xml") is null)
        {
            problems.Add($"no {codeFolder}DotnetToolSettings.xml");
        }

        problems.AddRange(ThirdPartyLicenses.Where(l => zip.GetEntry(l) is null).Select(l => $"no {l} (the tool redistributes that library)"));

        foreach (var entry in zip.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/')))
        {
            var name = entry.FullName;
            if (name.StartsWith("_rels/", StringComparison.Ordinal) || name.StartsWith("package/", StringComparison.Ordinal) ||
                PackageMetadata.Contains(name) || (nuspec is not null && name == nuspec.FullName))
            {
                continue;
            }

            if (!name.StartsWith(codeFolder, StringComparison.Ordinal))
            {
                problems.Add($"{name}: outside {codeFolder}");
                continue;
            }

            var file = Path.GetFileName(name);
            var extension = Path.GetExtension(file).ToLowerInvariant();
            if (extension is ".pdb" or ".lib")
            {
                problems.Add($"{name}: {extension} files are not shipped");
            }

            if (NotShippedStems.Any(stem => file.StartsWith(stem + ".", StringComparison.Ordinal)))
            {
                problems.Add($"{name}: a libtorch Python/test/backend library");
            }

            var kind = BinaryKind.Of(entry);
            if (kind is BinaryKind.Kind.Elf or BinaryKind.Kind.MachO or BinaryKind.Kind.NativePe)
            {
                var target = BinaryKind.TargetOf(entry);
                if (target != rid)
                {
                    problems.Add($"{name}: a native binary for {target ?? "an unknown platform"} in the {rid} package");
                }
            }
        }

        return problems;
    }

    /// <summary>The pointer AdaDeep.Tool: no code, DotnetToolSettings.xml naming AdaDeep.Tool.&lt;rid&gt; per RID.</summary>
    public static IReadOnlyList<string> CheckPointerPackage(string nupkg, out IReadOnlyList<string> rids)
    {
        var problems = new List<string>();
        using var zip = ZipFile.OpenRead(nupkg);
        var settings = zip.GetEntry("tools/any/any/DotnetToolSettings.xml");
        var listed = new List<string>();
        rids = listed;
        if (settings is null)
        {
            problems.Add("no tools/any/any/DotnetToolSettings.xml");
            return problems;
        }

        using (var stream = settings.Open())
        {
            foreach (var e in XDocument.Load(stream).Descendants("RuntimeIdentifierPackage"))
            {
                var rid = (string?)e.Attribute("RuntimeIdentifier") ?? "";
                listed.Add(rid);
                if ((string?)e.Attribute("Id") != $"AdaDeep.Tool.{rid}")
                {
                    problems.Add($"RID {rid} points to {(string?)e.Attribute("Id")}");
                }
            }
        }

        if (listed.Count == 0)
        {
            problems.Add("the settings list no RuntimeIdentifierPackages");
        }

        problems.AddRange(zip.Entries.Where(e => e.FullName.StartsWith("tools/", StringComparison.Ordinal) && e.FullName != settings.FullName)
            .Select(e => $"{e.FullName}: the pointer package carries no code"));
        var nuspec = zip.Entries.SingleOrDefault(e => e.FullName == "AdaDeep.Tool.nuspec");
        problems.AddRange(nuspec is null ? ["no AdaDeep.Tool.nuspec"] : CheckMetadata(nuspec, "AdaDeep.Tool", "DotnetTool"));
        return problems;
    }

    private static IEnumerable<string> CheckMetadata(ZipArchiveEntry nuspec, string id, string packageType)
    {
        using var stream = nuspec.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string element) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Value;
        if (Value("id") != id)
        {
            yield return $"id {Value("id")}, expected {id}";
        }

        var license = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "license");
        if (license?.Value != "MIT" || (string?)license.Attribute("type") != "expression")
        {
            yield return "no MIT license expression";
        }

        if (Value("readme") != "README.md")
        {
            yield return "no README.md readme";
        }

        var types = metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string?)e.Attribute("name")).ToList();
        if (!types.Contains(packageType))
        {
            yield return $"package type {string.Join(",", types)}, expected {packageType}";
        }
    }
}
