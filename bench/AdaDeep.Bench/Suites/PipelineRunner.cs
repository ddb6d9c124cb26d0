using System.Diagnostics;
using System.Text.Json;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Runs the real `adadeep compress` pipeline in process into a scratch folder (deleted afterwards), without the
/// cache, and reads the best candidate's reward from the report it writes.
/// </summary>
public static class PipelineRunner
{
    public static PipelineOutcome Run(CompressRequest template)
    {
        var scratch = RepoLayout.ScratchDirectory("pipeline");
        try
        {
            var request = template with
            {
                OutputPath = Path.Combine(scratch, "model.onnx"),
                ReportPath = Path.Combine(scratch, "report"),
                UseCache = false,
            };
            var watch = Stopwatch.StartNew();
            var result = new CompressPipeline().Run(request);
            watch.Stop();
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch, "report.json")));
            var best = report.RootElement.GetProperty("search").GetProperty("best");
            var reward = best.GetProperty("r1").GetDouble() + best.GetProperty("r2").GetDouble();
            var meets = best.GetProperty("meetsBudgets").GetBoolean();
            return new PipelineOutcome(result, reward, meets, watch.Elapsed.TotalSeconds, File.ReadAllBytes(request.OutputPath));
        }
        finally
        {
            RepoLayout.DeleteQuietly(scratch);
        }
    }
}
