using System.Text.RegularExpressions;

namespace AdaDeep.Engine.Cache;

/// <summary>
/// The ids of the device catalog the engine ships (src/AdaDeep.Devices/Profiles/catalog.yaml, embedded here too), so
/// the build checks an item's Device before it starts the tool. Only the ids are read: the catalog's figures stay
/// the engine's business (AdaDeep.Devices parses and validates them).
/// </summary>
public static class CatalogDevices
{
    private static readonly Lazy<IReadOnlyList<string>> Ids = new(Load);

    /// <summary>Every catalog id, in catalog order.</summary>
    public static IReadOnlyList<string> All => Ids.Value;

    public static bool Contains(string id) => All.Contains(id.Trim(), StringComparer.OrdinalIgnoreCase);

    private static IReadOnlyList<string> Load()
    {
        using var stream = typeof(CatalogDevices).Assembly.GetManifestResourceStream("AdaDeep.Contracts.catalog.yaml")
            ?? throw new InvalidOperationException("the device catalog is not embedded in AdaDeep.Contracts");
        using var reader = new StreamReader(stream);
        var ids = new List<string>();
        var entry = new Regex(@"^\s*-\s*id:\s*['""]?(?<id>[A-Za-z0-9][A-Za-z0-9._-]*)['""]?\s*(#.*)?$", RegexOptions.CultureInvariant);
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var match = entry.Match(line);
            if (match.Success)
            {
                ids.Add(match.Groups["id"].Value);
            }
        }

        return ids;
    }
}
