using System.IO.Compression;
using System.Text;

namespace AdaDeep.Cli.Tests.Packaging;

public class ToolPackageContentTests
{
    private const string Nuspec = """
        <?xml version="1.0" encoding="utf-8"?>
        <package xmlns="http://schemas.microsoft.com/packaging/2012/06/nuspec.xsd"><metadata>
          <id>AdaDeep.Tool.osx-arm64</id><version>0.1.0</version><license type="expression">MIT</license><readme>README.md</readme>
          <packageTypes><packageType name="DotnetToolRidPackage" /></packageTypes></metadata></package>
        """;

    private static readonly byte[] MachOArm64 = [0xCF, 0xFA, 0xED, 0xFE, 0x0C, 0x00, 0x00, 0x01, 0, 0, 0, 0];
    private static readonly byte[] ElfX64 = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3E, 0, 1, 0, 0, 0];

    private static string Package(Dictionary<string, byte[]> files)
    {
        var path = Path.Combine(Path.GetTempPath(), $"adadeep-pkg-{Guid.NewGuid():N}.nupkg");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in files)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }

        return path;
    }

    private static Dictionary<string, byte[]> CleanOsxPackage() => new()
    {
        ["AdaDeep.Tool.osx-arm64.nuspec"] = Encoding.UTF8.GetBytes(Nuspec),
        ["README.md"] = "# AdaDeep"u8.ToArray(),
        ["tools/net10.0/osx-arm64/DotnetToolSettings.xml"] = "<DotNetCliTool />"u8.ToArray(),
        ["tools/net10.0/osx-arm64/libtorch_cpu.dylib"] = MachOArm64,
        ["tools/net10.0/osx-arm64/adadeep.deps.json"] = "{}"u8.ToArray(),
        ["third-party/libtorch/LICENSE-LIBTORCH.txt"] = "BSD"u8.ToArray(),
        ["third-party/onnxruntime/LICENSE"] = "MIT"u8.ToArray(),
        ["third-party/onnxruntime/ThirdPartyNotices.txt"] = "notices"u8.ToArray(),
    };

    [Fact]
    public void A_package_with_only_its_rids_natives_and_the_metadata_passes()
    {
        var path = Package(CleanOsxPackage());
        try
        {
            Assert.Empty(ToolPackageRules.CheckRidPackage(path, "osx-arm64"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("tools/net10.0/osx-arm64/libonnxruntime.so", "linux-x64", "a native binary for linux-x64 in the osx-arm64 package")]
    [InlineData("tools/net10.0/osx-arm64/adadeep.pdb", "text", ".pdb files are not shipped")]
    [InlineData("tools/net10.0/osx-arm64/onnxruntime.lib", "text", ".lib files are not shipped")]
    [InlineData("tools/net10.0/osx-arm64/libtorch_python.dylib", "arm64", "a libtorch Python/test/backend library")]
    [InlineData("runtimes/linux-x64/native/libc10.so", "text", "outside tools/net10.0/osx-arm64/")]
    public void Each_rule_names_what_breaks_it(string name, string content, string expected)
    {
        var files = CleanOsxPackage();
        files[name] = content switch { "linux-x64" => ElfX64, "arm64" => MachOArm64, _ => "x"u8.ToArray() };
        var path = Package(files);
        try
        {
            var problem = Assert.Single(ToolPackageRules.CheckRidPackage(path, "osx-arm64"));
            Assert.Contains(expected, problem);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_package_without_a_third_party_license_fails()
    {
        var files = CleanOsxPackage();
        files.Remove("third-party/onnxruntime/LICENSE");
        var path = Package(files);
        try
        {
            Assert.Contains("no third-party/onnxruntime/LICENSE", Assert.Single(ToolPackageRules.CheckRidPackage(path, "osx-arm64")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_package_without_the_license_expression_fails()
    {
        var files = CleanOsxPackage();
        files["AdaDeep.Tool.osx-arm64.nuspec"] = Encoding.UTF8.GetBytes(Nuspec.Replace("<license type=\"expression\">MIT</license>", ""));
        var path = Package(files);
        try
        {
            Assert.Contains("no MIT license expression", Assert.Single(ToolPackageRules.CheckRidPackage(path, "osx-arm64")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [PackedFeedFact]
    public void The_packed_tool_packages_follow_the_rules_for_their_rid()
    {
        var pointer = Path.Combine(PackedFeedFactAttribute.Feed, "AdaDeep.Tool.0.1.0.nupkg");
        Assert.Empty(ToolPackageRules.CheckPointerPackage(pointer, out var rids));
        Assert.Contains("linux-x64", rids);
        foreach (var rid in rids)
        {
            var package = Path.Combine(PackedFeedFactAttribute.Feed, $"AdaDeep.Tool.{rid}.0.1.0.nupkg");
            Assert.True(File.Exists(package), $"the pointer lists {rid}, but {package} is not in the feed");
            Assert.Empty(ToolPackageRules.CheckRidPackage(package, rid));
        }
    }
}
