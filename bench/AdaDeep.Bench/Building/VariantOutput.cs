using System.Security.Cryptography;
using System.Text.Json;

namespace AdaDeep.Bench.Building;

/// <summary>
/// What one device variant of the sample app shipped: the model embedded in its assembly (bin/&lt;config&gt;/&lt;device&gt;/…),
/// the compressed model the build wrote for it (obj/&lt;config&gt;/&lt;device&gt;/…/adadeep/&lt;device&gt;/) and that model's result.json.
/// </summary>
public sealed record VariantOutput(string Device, string? EmbeddedSha256, string? OutputSha256, string? ResultSha256, long EmbeddedBytes, string Techniques)
{
    /// <summary>The assembly embeds exactly the model that was compressed for this device, as the tool reported it.</summary>
    public bool EmbedsItsOwnModel => EmbeddedSha256 is not null && EmbeddedSha256 == OutputSha256 && OutputSha256 == ResultSha256;

    public static VariantOutput Read(string appDirectory, string configuration, string device, string logicalName, string assemblyFile)
    {
        var bin = Path.Combine(appDirectory, "bin", configuration, device);
        var obj = Path.Combine(appDirectory, "obj", configuration, device);
        var assembly = Directory.Exists(bin) ? Directory.EnumerateFiles(bin, assemblyFile, SearchOption.AllDirectories).FirstOrDefault() : null;
        var embedded = assembly is null ? null : EmbeddedResourceReader.Read(assembly, logicalName);
        var output = Directory.Exists(obj)
            ? Directory.EnumerateFiles(obj, logicalName, SearchOption.AllDirectories).FirstOrDefault(p => Path.GetFileName(Path.GetDirectoryName(p)) == device)
            : null;
        string? resultSha = null;
        var techniques = "—";
        var resultPath = output is null ? null : Path.ChangeExtension(output, ".result.json");
        if (resultPath is not null && File.Exists(resultPath))
        {
            using var result = JsonDocument.Parse(File.ReadAllText(resultPath));
            resultSha = result.RootElement.TryGetProperty("outputSha256", out var sha) ? sha.GetString()?.ToLowerInvariant() : null;
            techniques = result.RootElement.TryGetProperty("techniques", out var t) ? t.GetString() ?? "—" : "—";
        }

        return new VariantOutput(device,
            embedded is null ? null : Sha256(embedded),
            output is null ? null : Sha256(File.ReadAllBytes(output)),
            resultSha,
            embedded?.LongLength ?? 0,
            techniques);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
