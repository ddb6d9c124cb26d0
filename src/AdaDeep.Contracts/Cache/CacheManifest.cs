using System.Globalization;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// manifest.json of a cache entry: the key, the SHA-256 of the model and of every other file of the entry. Written
/// last inside the temporary folder, so an entry whose manifest parses was published whole; verified on every read.
/// </summary>
public sealed class CacheManifest
{
    public const string Format = "adadeep-cache-entry/1";

    public CacheManifest(string key, IReadOnlyDictionary<string, string> fileSha256, DateTime createdUtc)
    {
        Key = key;
        FileSha256 = fileSha256;
        CreatedUtc = createdUtc;
    }

    public string Key { get; }

    /// <summary>File name (inside the entry folder) → SHA-256 hex; always holds model.onnx.</summary>
    public IReadOnlyDictionary<string, string> FileSha256 { get; }

    public string ModelSha256 => FileSha256.TryGetValue(CacheStore.ModelFileName, out var sha) ? sha : "";

    public DateTime CreatedUtc { get; }

    public string ToJson() => CacheJson.Write(new Dictionary<string, object?>
    {
        ["format"] = Format,
        ["key"] = Key,
        ["modelSha256"] = ModelSha256,
        ["files"] = FileSha256.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)).ToList(),
        ["createdUtc"] = CreatedUtc.ToString("o", CultureInfo.InvariantCulture),
    });

    /// <summary>Parses a manifest; throws <see cref="FormatException"/> when it is not one.</summary>
    public static CacheManifest Parse(string json)
    {
        var obj = CacheJson.ParseObject(json);
        if (CacheJson.GetString(obj, "format") != Format)
        {
            throw new FormatException("not an AdaDeep cache manifest");
        }

        var key = CacheJson.GetString(obj, "key") ?? throw new FormatException("the manifest has no key");
        var files = obj.TryGetValue("files", out var f) && f is Dictionary<string, object?> map
            ? map.ToDictionary(p => p.Key, p => p.Value as string ?? throw new FormatException("a file hash is not text"), StringComparer.Ordinal)
            : throw new FormatException("the manifest lists no files");
        if (!files.TryGetValue(CacheStore.ModelFileName, out var modelSha) || modelSha != CacheJson.GetString(obj, "modelSha256"))
        {
            throw new FormatException("the manifest's model hash is missing or inconsistent");
        }

        var created = DateTime.TryParse(CacheJson.GetString(obj, "createdUtc"), CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out var c) ? c : DateTime.MinValue;
        return new CacheManifest(key, files, created);
    }
}
