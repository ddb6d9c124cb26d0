using System.Diagnostics;
using System.Globalization;
using AdaDeep.Bench.Measuring;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 7 item 2: a cold `adadeep compress` (the built CLI as a child process, no cache) per model for the Sony
/// SmartWatch 3: wall time and peak resident memory (GNU time's %M when present, else VmHWM polled from /proc).
/// </summary>
public sealed class SearchTimeSuite : ISuite
{
    public string Name => "search-time";

    public string Description => "cold `adadeep compress` wall time and peak RSS per model";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        var cli = repo.FindCli();
        var models = new[]
        {
            (Label: "LeNet-5", Model: LeNetProvider.EnsureTrained(repo), Dataset: (string?)repo.Mnist),
            (Label: "mnist-8", Model: repo.Mnist8, Dataset: (string?)repo.Mnist),
            (Label: "cifar10-cnn", Model: repo.Cifar10, Dataset: (string?)null),
        };
        var table = new BenchTable("Cold `adadeep compress --device sony-sw3 --no-cache`", new[]
        {
            BenchColumn.Text("model", "model"),
            BenchColumn.Text("data", "data"),
            BenchColumn.Number("wallSeconds", "wall s", "0.0"),
            BenchColumn.Number("peakRssMB", "peak RSS MB", "0"),
            BenchColumn.Number("searchSeconds", "search s", "0.0"),
            BenchColumn.Number("fineTuneSeconds", "fine-tune s", "0.0"),
            BenchColumn.Number("candidates", "candidates", "0"),
            BenchColumn.Text("techniques", "chosen"),
            BenchColumn.Percent("accuracy", "A (or agreement)"),
            BenchColumn.Number("exitCode", "exit", "0"),
        });
        foreach (var (label, model, dataset) in models)
        {
            BenchContext.Log($"search-time: cold adadeep compress {label}");
            var scratch = RepoLayout.ScratchDirectory("cli");
            try
            {
                var args = new List<string> { cli, "compress", model, "--device", "sony-sw3", "--output", Path.Combine(scratch, "out.onnx"),
                    "--result-json", Path.Combine(scratch, "result.json"), "--no-cache", "--progress", "none" };
                if (dataset is not null)
                {
                    args.AddRange(new[] { "--dataset", dataset });
                }

                if (context.Quick)
                {
                    args.AddRange(new[] { "--time-budget", "10", "--fine-tune-budget", "5" });
                }

                var run = ChildProcess.RunMeasured("dotnet", args, Path.Combine(scratch, "time.txt"), TimeSpan.FromMinutes(context.Quick ? 6 : 15));
                var row = new Dictionary<string, object?>
                {
                    ["model"] = label,
                    ["data"] = dataset is null ? "none (agreement on synthetic inputs)" : "MNIST t10k",
                    ["wallSeconds"] = run.WallSeconds,
                    ["peakRssMB"] = run.PeakRssKB / 1024.0,
                    ["exitCode"] = run.ExitCode,
                };
                var resultPath = Path.Combine(scratch, "result.json");
                if (File.Exists(resultPath))
                {
                    var result = CompressResult.FromJson(File.ReadAllText(resultPath));
                    row["searchSeconds"] = result.SearchSeconds;
                    row["fineTuneSeconds"] = result.FineTuneSeconds;
                    row["candidates"] = result.CandidatesSeen;
                    row["techniques"] = result.Techniques;
                    row["accuracy"] = result.Accuracy;
                    row["accuracyIsAgreement"] = result.AccuracyIsAgreement;
                }
                else
                {
                    report.Notes.Add($"{label}: exit {run.ExitCode}, no result; last output: {run.OutputTail}");
                }

                table.Add(row);
                report.Headlines.Add(string.Format(CultureInfo.InvariantCulture, "{0}: cold compress {1:0.0} s wall, peak RSS {2:0} MB", label, run.WallSeconds, run.PeakRssKB / 1024.0));
            }
            finally
            {
                RepoLayout.DeleteQuietly(scratch);
            }
        }

        report.Tables.Add(table);
        report.Notes.Add(context.Quick
            ? $"--quick: --time-budget 10 --fine-tune-budget 5 instead of the defaults ({PipelineDefaults.Describe()})."
            : $"Default settings: {PipelineDefaults.Describe()}.");
        report.Notes.Add("cifar10-cnn has no labelled data in the repository: it runs without --dataset, so its figure in the A column is the compressed model's top-1 agreement with the original model's predictions on held-out synthetic inputs, not an accuracy.");
        report.Notes.Add($"CLI: `dotnet {Path.GetRelativePath(repo.Root, cli)}`; wall time includes .NET start-up, loading TorchSharp and ONNX Runtime, and writing the outputs.");
        return report;
    }
}
