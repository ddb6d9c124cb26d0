using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Writes the model, its reports and the result JSON. Everything is first written into a staging folder beside the
/// output, then copied into place (the model last, by rename), so a failure leaves no half-written output. A run
/// that is killed can leave its staging folder behind; the next run writing to that folder removes it
/// (<see cref="StagingFolder"/>).
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
        var staging = StagingFolder.NewPath(Path.GetDirectoryName(output)!);
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
        catch (AdaDeepException e)
        {
            // OnnxModel.Save classifies its own failures (ADA5004, ADA5002) against the staging path: the staging folder
            // must still go, and the user is told about the output they asked for, not a hidden folder.
            TryDelete(staging);
            throw new AdaDeepException(e.Code, e.Message, output, e);
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

    /// <summary>
    /// Puts the reports, the result and the model in place in two steps: every file is first copied beside its
    /// destination under a temporary name, then renamed onto it, the model last. A copy that fails (a full disk) removes
    /// the temporary copies, so the destinations hold their previous files or nothing, never a partial one.
    /// </summary>
    private static void Place(CompressRequest request, string folder, CompressResult result)
    {
        var output = Path.GetFullPath(request.OutputPath);
        var moves = new List<(string Temporary, string Destination)>();
        string Temporary(string destination)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var temporary = destination + $".{Guid.NewGuid():N}.tmp";
            moves.Add((temporary, destination));
            return temporary;
        }

        try
        {
            if (request.ReportPath is { } reportPath)
            {
                var full = Path.GetFullPath(reportPath);
                // "out/model.report" and "out/model.report.json" both give out/model.report.{json,md}.
                var stem = Path.GetExtension(full) is ".json" or ".md" ? full[..^Path.GetExtension(full).Length] : full;
                File.Copy(Path.Combine(folder, CacheStore.ReportJsonFileName), Temporary(stem + ".json"), overwrite: true);
                File.Copy(Path.Combine(folder, CacheStore.ReportMarkdownFileName), Temporary(stem + ".md"), overwrite: true);
                if (File.Exists(Path.Combine(folder, PlotFileName)))
                {
                    File.Copy(Path.Combine(folder, PlotFileName), Temporary(stem + ".svg"), overwrite: true);
                }
            }

            if (request.ResultJsonPath is { } resultPath)
            {
                File.WriteAllText(Temporary(Path.GetFullPath(resultPath)), result.ToJson());
            }

            // The model goes last, by rename on the same volume: readers see the old file or the whole new one.
            File.Copy(Path.Combine(folder, CacheStore.ModelFileName), Temporary(output), overwrite: true);
            foreach (var (temporary, destination) in moves)
            {
                File.Move(temporary, destination, overwrite: true);
            }
        }
        catch
        {
            foreach (var (temporary, _) in moves)
            {
                TryDeleteFile(temporary);
            }

            throw;
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static AdaDeepException Classify(Exception e, string output) =>
        e is IOException io && OnnxModel.IsDiskFull(io)
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
