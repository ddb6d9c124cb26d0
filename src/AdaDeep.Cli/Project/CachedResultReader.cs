using System.Text.Json;
using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Reads the engine's result (<see cref="CompressResult"/>) back from a cache entry: its result.json, or the
/// <c>result</c> member of report.json when an entry has no readable result.json. One document type for the
/// engine, the build task and the project report, so a figure the engine adds is never lost in a copy.
/// </summary>
public static class CachedResultReader
{
    /// <summary>The entry's result, or null when neither file holds one that parses (the report then shows "-").</summary>
    public static CompressResult? Read(CacheProbeResult entry)
    {
        if (entry.FilePath(CacheStore.ResultJsonFileName) is { } resultFile && TryRead(resultFile, ParseResult) is { } result)
        {
            return result;
        }

        return entry.FilePath(CacheStore.ReportJsonFileName) is { } reportFile ? TryRead(reportFile, ParseReport) : null;
    }

    /// <summary>A result.json document; null when it is not one.</summary>
    public static CompressResult? ParseResult(string json)
    {
        try
        {
            return CompressResult.FromJson(json);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A report.json document (<c>{ "result": …, "search": … }</c>); null when it holds no result.</summary>
    public static CompressResult? ParseReport(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("result", out var result)
                ? ParseResult(result.GetRawText())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CompressResult? TryRead(string path, Func<string, CompressResult?> parse)
    {
        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
