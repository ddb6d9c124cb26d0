using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Writes the model, its reports and the result JSON. Everything is first written into a staging folder beside the
/// output, then moved into place file by file (model last), so a failure leaves no half-written output.
/// </summary>
public static class OutputWriter
{
    public const string ResultFileName = "result.json";

    public sealed record Written(IReadOnlyList<KeyValuePair<string, string>> CacheFiles, string StagingDirectory);

    public static Written Write(CompressRequest request, OnnxModel model, CompressResult result, SearchResult search,
        CostEstimate before, CostEstimate after)
    {
        var output = Path.GetFullPath(request.OutputPath);
        var staging = Path.Combine(Path.GetDirectoryName(output)!, $".adadeep-staging-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var stagedModel = Path.Combine(staging, "model.onnx");
            model.Save(stagedModel);
            var report = SearchReport.Create(search, result.ToReportContext(before, after));
            var json = Path.Combine(staging, "report.json");
            var md = Path.Combine(staging, "report.md");
            var svg = Path.Combine(staging, "report.svg");
            File.WriteAllText(json, report.ToJson());
            File.WriteAllText(md, report.ToMarkdown());
            report.WriteSvg(svg);
            var resultFile = Path.Combine(staging, ResultFileName);
            File.WriteAllText(resultFile, result.ToJson());

            if (request.ReportPath is { } reportPath)
            {
                var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportPath))!, Path.GetFileNameWithoutExtension(reportPath));
                Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
                File.Copy(json, stem + ".json", overwrite: true);
                File.Copy(md, stem + ".md", overwrite: true);
                File.Copy(svg, stem + ".svg", overwrite: true);
            }

            if (request.ResultJsonPath is { } resultPath)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultPath))!);
                File.Copy(resultFile, resultPath, overwrite: true);
            }

            // The model goes last, by rename on the same volume: readers see the old file or the whole new one.
            File.Copy(stagedModel, output + ".tmp", overwrite: true);
            File.Move(output + ".tmp", output, overwrite: true);

            return new Written(new[]
            {
                KeyValuePair.Create("model.onnx", stagedModel),
                KeyValuePair.Create("report.json", json),
                KeyValuePair.Create("report.md", md),
                KeyValuePair.Create("report.svg", svg),
                KeyValuePair.Create(ResultFileName, resultFile),
            }, staging);
        }
        catch (IOException e) when (e.HResult == 28 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase))
        {
            TryDelete(staging);
            throw new AdaDeepException(ErrorCodes.DiskFull, $"no space left on device: {e.Message}", output, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(staging);
            throw new AdaDeepException(ErrorCodes.OutputNotWritable, $"cannot write the output: {e.Message}", output, e);
        }
    }

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
