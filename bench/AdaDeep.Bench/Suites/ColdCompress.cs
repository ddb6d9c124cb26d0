using AdaDeep.Bench.Measuring;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Bench.Suites;

/// <summary>What one cold `adadeep compress --no-cache` child process gave: its run, result and shipped file.</summary>
public sealed record ColdCompressOutcome(ChildRun Run, CompressResult? Result, byte[]? ModelBytes);

/// <summary>Runs the real CLI cold (no cache) in a child process, measuring wall time and peak RSS.</summary>
public static class ColdCompress
{
    public static ColdCompressOutcome Run(RepoLayout repo, string model, string dataset, IEnumerable<string> settings, TimeSpan timeout)
    {
        var scratch = RepoLayout.ScratchDirectory("cold");
        try
        {
            var output = Path.Combine(scratch, "out.onnx");
            var resultPath = Path.Combine(scratch, "result.json");
            var args = new List<string> { repo.FindCli(), "compress", model, "--dataset", dataset, "--output", output,
                "--result-json", resultPath, "--no-cache", "--progress", "lines" };
            args.AddRange(settings);
            var run = ChildProcess.RunMeasured("dotnet", args, Path.Combine(scratch, "time.txt"), timeout);
            return File.Exists(resultPath) && File.Exists(output)
                ? new ColdCompressOutcome(run, CompressResult.FromJson(File.ReadAllText(resultPath)), File.ReadAllBytes(output))
                : new ColdCompressOutcome(run, null, null);
        }
        finally
        {
            RepoLayout.DeleteQuietly(scratch);
        }
    }
}
