using System.Globalization;
using System.Text.RegularExpressions;
using AdaDeep.Bench.Measuring;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Folding;
using AdaDeep.Devices.Costs;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 13.5: real architectures as PyTorch exports them (scripts/export-corpus.sh writes them into .corpus/), each
/// through `adadeep inspect` and `adadeep compress` as child processes. Per model: the outcome (compressed, or the
/// coded refusal and its message), file bytes, MACs, agreement with the original, ORT latency before and after, wall
/// time and peak memory, and whether the output loads in ORT with the original's output names and shapes.
/// Environment: ADADEEP_CORPUS (folder, default .corpus), ADADEEP_CORPUS_MODELS (regex over model names),
/// ADADEEP_CORPUS_TIME_BUDGET and ADADEEP_CORPUS_FINE_TUNE_BUDGET (seconds).
/// </summary>
public sealed class CorpusSuite : ISuite
{
    private const string Device = "xiaomi-mi6";

    public string Name => "corpus";

    public string Description => "exported real architectures (opsets 11-17, fp16, multi-input): inspect + compress outcome, bytes, MACs, agreement, ORT latency, wall time, peak memory";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var folder = Environment.GetEnvironmentVariable("ADADEEP_CORPUS") is { Length: > 0 } f ? Path.GetFullPath(f) : Path.Combine(context.Repo.Root, ".corpus");
        var manifest = Path.Combine(folder, "manifest.tsv");
        if (!File.Exists(manifest))
        {
            // Not an error of `all`: the corpus needs Debian's PyTorch, which a machine may not have.
            report.Notes.Add($"no model corpus at {folder}: run bash scripts/export-corpus.sh first (it installs python3-torch, python3-torchvision and python3-onnx with apt-get)");
            report.Headlines.Add("skipped: no model corpus (bash scripts/export-corpus.sh)");
            return report;
        }

        var filter = Environment.GetEnvironmentVariable("ADADEEP_CORPUS_MODELS") is { Length: > 0 } pattern ? new Regex(pattern) : null;
        var timeBudget = Seconds("ADADEEP_CORPUS_TIME_BUDGET", context.Quick ? 20 : 120);
        var fineTuneBudget = Seconds("ADADEEP_CORPUS_FINE_TUNE_BUDGET", context.Quick ? 10 : 60);
        var listed = File.ReadAllLines(manifest).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length >= 5).ToList();
        // Folders an interrupted export left without a manifest line still count (name-opN/model.onnx).
        var unlisted = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(n => listed.All(c => c[0] != n) && File.Exists(Path.Combine(folder, n, "model.onnx")))
            .Select(n => new[] { n, n[(n.LastIndexOf("-op", StringComparison.Ordinal) + 3)..], "", "", "not in the manifest" });
        var entries = listed.Concat(unlisted)
            .Where(c => filter?.IsMatch(c[0]) ?? (!context.Quick || c[1] == "13"))
            .OrderBy(c => c[0], StringComparer.Ordinal)
            .ToList();
        var cli = context.Repo.FindCli();
        var table = new BenchTable($"`adadeep inspect` and `adadeep compress --device {Device} --no-cache` on the corpus", new[]
        {
            BenchColumn.Text("model", "model"),
            BenchColumn.Text("outcome", "outcome"),
            BenchColumn.Number("originalBytes", "bytes before", "N0"),
            BenchColumn.Number("compressedBytes", "bytes after", "N0"),
            BenchColumn.Number("originalMacs", "MACs before", "N0"),
            BenchColumn.Number("compressedMacs", "MACs after", "N0"),
            BenchColumn.Percent("agreement", "agreement"),
            BenchColumn.Number("originalOrtMs", "ORT ms before", "0.000"),
            BenchColumn.Number("compressedOrtMs", "ORT ms after", "0.000"),
            BenchColumn.Number("wallSeconds", "wall s", "0"),
            BenchColumn.Number("peakRssMB", "peak MB", "0"),
            BenchColumn.Text("outputsMatch", "outputs as original"),
        });
        int compressed = 0, refused = 0, internalErrors = 0;
        foreach (var entry in entries)
        {
            var name = entry[0];
            var model = Path.Combine(folder, name, "model.onnx");
            if (!File.Exists(model))
            {
                table.Add(new Dictionary<string, object?> { ["model"] = name, ["outcome"] = $"not exported: {entry[4]}" });
                continue;
            }

            BenchContext.Log($"corpus: {name}");
            var row = Measure(cli, name, model, timeBudget, fineTuneBudget);
            var outcome = (string)row["outcome"]!;
            var isInternal = outcome.Contains("ADA9001", StringComparison.Ordinal);
            compressed += outcome.StartsWith("compressed", StringComparison.Ordinal) ? 1 : 0;
            refused += outcome.StartsWith("refused", StringComparison.Ordinal) && !isInternal ? 1 : 0;
            internalErrors += isInternal ? 1 : 0;
            table.Add(row);
        }

        report.Tables.Add(table);
        report.Headlines.Add($"{entries.Count} corpus models: {compressed} compressed, {refused} refused with a code naming the cause, {internalErrors} ADA9001 (internal error: a bug)");
        report.Notes.Add($"Models: {folder} (scripts/export-corpus.sh: torch/torchvision from Debian, random-init weights since the machine has no internet, so accuracy is not meaningful: agreement is the compressed model's top-1 agreement with the original on held-out synthetic inputs, as the pipeline reports it).");
        report.Notes.Add($"compress: --device {Device} --time-budget {timeBudget} --fine-tune-budget {fineTuneBudget} --no-cache, no data set (synthetic inputs), default seed; outputs as original = the compressed file loads in ORT and, fed the export's test_data_set_0 inputs, gives the same output names and shapes as the original.");
        report.Notes.Add("ORT latency: OrtLatencyMeter median, 1 intra-op thread, batch as exported (1), this machine; wall time and peak RSS of the compress child process (GNU time when installed, else polled VmHWM).");
        return report;
    }

    private static int Seconds(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : fallback;

    private static Dictionary<string, object?> Measure(string cli, string name, string model, int timeBudget, int fineTuneBudget)
    {
        var row = new Dictionary<string, object?> { ["model"] = name, ["originalBytes"] = new FileInfo(model).Length };
        var scratch = RepoLayout.ScratchDirectory("corpus");
        try
        {
            var original = OnnxModel.Load(model);
            row["originalMacs"] = ModelAnalyzer.Analyze(ConstantFolder.Fold(original).Model).TotalMacs;
            row["originalOrtMs"] = TryLatency(File.ReadAllBytes(model));
            var inspect = ChildProcess.RunMeasured("dotnet", new[] { cli, "inspect", model, "--device", Device, "--no-measure" }, Path.Combine(scratch, "inspect-time.txt"), TimeSpan.FromMinutes(5));
            if (inspect.ExitCode != 0)
            {
                row["outcome"] = $"inspect failed: {ErrorLine(inspect.OutputTail)}";
                return row;
            }

            var output = Path.Combine(scratch, "out.onnx");
            var resultPath = Path.Combine(scratch, "result.json");
            var args = new List<string>
            {
                cli, "compress", model, "--device", Device, "--output", output, "--result-json", resultPath, "--no-cache",
                "--progress", "none", "--time-budget", timeBudget.ToString(CultureInfo.InvariantCulture),
                "--fine-tune-budget", fineTuneBudget.ToString(CultureInfo.InvariantCulture),
            };
            var run = ChildProcess.RunMeasured("dotnet", args, Path.Combine(scratch, "time.txt"), TimeSpan.FromSeconds(timeBudget + fineTuneBudget + 900));
            row["wallSeconds"] = run.WallSeconds;
            row["peakRssMB"] = run.PeakRssKB / 1024.0;
            if (run.ExitCode != 0 || !File.Exists(output))
            {
                row["outcome"] = $"refused (exit {run.ExitCode}): {ErrorLine(run.OutputTail)}";
                return row;
            }

            var result = CompressResult.FromJson(File.ReadAllText(resultPath));
            var bytes = File.ReadAllBytes(output);
            row["outcome"] = $"compressed: {result.Techniques}";
            row["compressedBytes"] = bytes.LongLength;
            row["compressedMacs"] = result.Macs;
            row["agreement"] = result.Accuracy;
            row["compressedOrtMs"] = TryLatency(bytes);
            row["outputsMatch"] = CorpusOutputs.Compare(model, bytes);
            var warnings = run.OutputTail.Split('\n').Where(l => l.Contains("warning ADA", StringComparison.Ordinal))
                .Select(l => Regex.Match(l, "warning (ADA\\d{4})").Groups[1].Value).Distinct().ToList();
            if (warnings.Count > 0)
            {
                row["outcome"] += $" (warnings {string.Join(", ", warnings)})";
            }

            return row;
        }
        catch (Exception e)
        {
            row["outcome"] = $"bench error: {e.GetType().Name}: {e.Message}";
            return row;
        }
        finally
        {
            RepoLayout.DeleteQuietly(scratch);
        }
    }

    private static double? TryLatency(byte[] bytes)
    {
        try
        {
            return OrtLatencyMeter.MeasureMs(bytes, warmup: 3, runs: 11);
        }
        catch (Exception e) when (e is Onnx.Diagnostics.AdaDeepException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return null;
        }
    }

    /// <summary>The "error ADAnnnn: …" line of a failed run (or its last line), shortened for the table.</summary>
    private static string ErrorLine(string tail)
    {
        var line = tail.Split('\n').LastOrDefault(l => l.Contains("error ADA", StringComparison.Ordinal)) ?? tail.Split('\n').LastOrDefault(l => l.Trim().Length > 0) ?? "";
        var at = line.IndexOf("error ADA", StringComparison.Ordinal);
        line = (at >= 0 ? line[at..] : line).Replace('|', '/').Trim();
        return line.Length > 220 ? line[..220] + "…" : line;
    }
}
