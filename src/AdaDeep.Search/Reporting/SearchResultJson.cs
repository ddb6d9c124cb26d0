using System.Text.Json;
using System.Text.Json.Serialization;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Reporting;

/// <summary>
/// Serialises a <see cref="SearchResult"/> to JSON. Same result → same bytes: properties in declaration order,
/// doubles in shortest round-trip form, invariant culture, "\n" line ends.
/// </summary>
public static class SearchResultJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        NewLine = "\n",
    };

    public static string Serialize(SearchResult result) => JsonSerializer.Serialize(result, Options);

    public static byte[] SerializeToUtf8Bytes(SearchResult result) => JsonSerializer.SerializeToUtf8Bytes(result, Options);

    public static SearchResult? Deserialize(string json) => JsonSerializer.Deserialize<SearchResult>(json, Options);
}
