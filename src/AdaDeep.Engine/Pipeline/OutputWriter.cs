using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Writes the model, its reports and the result JSON. Everything is first written into a staging folder beside the
/// output, then copied into place (the model last, by rename), so a failure leaves no half-written output.
/// </summary>
public static class OutputWriter
{
    public const string ResultFileName = "result.json";
    public const string SearchFileName = "search.json";
    public const string PlotFileName = "report.svg";

    public sealed record Written(IReadOnlyList<KeyValuePair<string, string>> CacheFiles, string StagingDirectory);

    public static Written Write(CompressRequest request, OnnxModel model, CompressResult result, SearchResult search, SearchReport report)
    {
        var output = Path.GetFullPath(request.OutputPath);
        var staging = Path.Combine(Path.GetDirectoryName(output)!, $".adadeep-staging-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var files = new List<KeyValuePair<string, string>>();
            string Stage(string name)
            {
                var path = Path.Combine(staging, name);
                files.Add(KeyValuePair.Create(name, path));
                return path;
            }

            model.Save(Stage(CacheStore.ModelFileName));
            File.WriteAllText(Stage(CacheStore.ReportJsonFileName), ReportWriter.Json(result, report));
            File.WriteAllText(Stage(CacheStore.ReportMarkdownFileName), ReportWriter.Markdown(result, report));
            SearchPlot.Save(report, Stage(PlotFileName));
            File.WriteAllText(Stage(SearchFileName), SearchResultJson.Serialize(search));
            File.WriteAllText(Stage(ResultFileName), result.ToJson());
            Place(request, staging, result);
            return new Written(files, staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw Classify(e, output);
        }
    }

    /// <summary>A cache hit: the entry's files go where a fresh run would have written them.</summary>
    public static void CopyFromCache(CacheEntry entry, CompressRequest request, CompressResult result)
    {
        var output = Path.GetFullPath(request.OutputPath);
        try
        {
            Place(request, entry.Directory, result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Classify(e, output);
        }
    }

    private static void Place(CompressRequest request, string folder, CompressResult result)
    {
        var output = Path.GetFullPath(request.OutputPath);
        if (request.ReportPath is { } reportPath)
        {
            var full = Path.GetFullPath(reportPath);
            // "out/model.report" and "out/model.report.json" both give out/model.report.{json,md}.
            var stem = Path.GetExtension(full) is ".json" or ".md" ? full[..^Path.GetExtension(full).Length] : full;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.Copy(Path.Combine(folder, CacheStore.ReportJsonFileName), stem + ".json", overwrite: true);
            File.Copy(Path.Combine(folder, CacheStore.ReportMarkdownFileName), stem + ".md", overwrite: true);
            if (File.Exists(Path.Combine(folder, PlotFileName)))
            {
                File.Copy(Path.Combine(folder, PlotFileName), stem + ".svg", overwrite: true);
            }
        }

        if (request.ResultJsonPath is { } resultPath)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultPath))!);
            File.WriteAllText(resultPath, result.ToJson());
        }

        // The model goes last, by rename on the same volume: readers see the old file or the whole new one.
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var temporary = output + $".{Guid.NewGuid():N}.tmp";
        File.Copy(Path.Combine(folder, CacheStore.ModelFileName), temporary, overwrite: true);
        File.Move(temporary, output, overwrite: true);
    }

    private static AdaDeepException Classify(Exception e, string output) =>
        e is IOException io && (io.HResult == 28 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase))
            ? new AdaDeepException(ErrorCodes.DiskFull, $"no space left on device: {e.Message}", output, e)
            : new AdaDeepException(ErrorCodes.OutputNotWritable, $"cannot write the output: {e.Message}", output, e);

    public static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
