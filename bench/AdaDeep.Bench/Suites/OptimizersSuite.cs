using System.Globalization;
using System.Text.RegularExpressions;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 24 (paper Table 5): does the DQN beat what a user would do without it? Each problem (model, device, budgets
/// that bind: the original misses its storage budget) runs through the full CompressPipeline with the DQN, then
/// greedy + exploration given exactly the DQN's count of measured configurations (same problem, same seed), and plain
/// greedy; 3 seeds each. Per problem: the DQN wins on reward when its mean over the seeds beats greedy + exploration's
/// by more than the larger of the two seed standard deviations; it "ships the best" when, on a majority of seeds, no
/// other optimizer shipped a more accurate model that meets every budget.
/// </summary>
public sealed class OptimizersSuite : ISuite
{
    public static readonly string[] Optimizers = { "dqn", GreedyExplore, "greedy" };

    private const string GreedyExplore = "greedy-explore";

    /// <summary>The devices of every problem: a watch, two phones, two boards/boxes and the build machine.</summary>
    public static readonly string[] Devices = { "sony-sw3", "xiaomi-redmi-3s", "huawei-p9", "firefly-rk3399", "huawei-box", "host" };

    /// <summary>The storage budget is this share of the original file (the original misses it on every device).</summary>
    public const double StorageShare = 0.3;

    public string Name => "optimizers";

    public string Description => "dqn vs greedy + exploration (same measured configurations) vs greedy, 3 seeds, on problems whose budgets bind";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        context.Repo.RequireMnist();
        var seeds = int.TryParse(Environment.GetEnvironmentVariable("ADADEEP_OPTIMIZER_SEEDS"), out var n) && n > 0 ? n : 3;
        var pick = Environment.GetEnvironmentVariable("ADADEEP_OPTIMIZER_PROBLEMS") is { Length: > 0 } pattern ? new Regex(pattern) : null;
        var models = new[] { (Label: "mnist-8", Path: context.Repo.Mnist8), (Label: "LeNet-5", Path: LeNetProvider.EnsureTrained(context.Repo)) };
        var problems = models.SelectMany(m => Devices.Select(d => (Model: m, Device: d)))
            .Where(p => pick?.IsMatch($"{p.Model.Label}/{p.Device}") ?? (!context.Quick || p is { Device: "sony-sw3", Model.Label: "mnist-8" }))
            .ToArray();
        if (pick is not null)
        {
            report.Notes.Add($"ADADEEP_OPTIMIZER_PROBLEMS={pick}: only the problems it matches.");
        }

        var runs = BenchColumns();
        var table = new BenchTable("Every run (search reward as the search measured it; accuracy of the shipped model on the test split)", runs);
        var summary = new BenchTable("Per problem (mean ± standard deviation over seeds)", SummaryColumns());
        int wins = 0, bestShipped = 0, counted = 0;
        double dqnWall = 0, greedyWall = 0;
        foreach (var (model, device) in problems)
        {
            var label = $"{model.Label} / {device}";
            var budgets = Budgets(model.Path, device);
            var outcomes = Optimizers.ToDictionary(o => o, _ => new List<PipelineOutcome?>());
            for (var seed = 1; seed <= seeds; seed++)
            {
                var request = new CompressRequest
                {
                    ModelPath = model.Path,
                    Device = device,
                    StorageBudgetMB = budgets.StorageMB,
                    LatencyBudgetMs = budgets.LatencyMs,
                    DatasetPath = context.Repo.Mnist,
                    Seed = seed,
                    TimeBudgetSeconds = context.Quick ? 30 : (int)CompressRequest.DefaultTimeBudgetSeconds,
                    FineTuneBudget = TimeSpan.FromSeconds(context.Quick ? 10 : PipelineDefaults.FineTuneCapSeconds),
                    OutputPath = "unused",
                };
                int? dqnMeasured = null;
                foreach (var optimizer in Optimizers)
                {
                    BenchContext.Log($"optimizers: {label}, seed {seed}, {optimizer}");
                    PipelineOutcome? outcome = null;
                    try
                    {
                        outcome = PipelineRunner.Run(request with
                        {
                            Optimizer = optimizer,
                            MaxMeasurements = optimizer == GreedyExplore ? dqnMeasured : null,
                        });
                        dqnMeasured ??= optimizer == "dqn" ? outcome.Result.MeasuredConfigurations : null;
                    }
                    catch (Exception e)
                    {
                        report.Notes.Add($"{label}, seed {seed}, {optimizer}: failed: {e.GetType().Name}: {e.Message}");
                    }

                    outcomes[optimizer].Add(outcome);
                    table.Add(Row(label, seed, optimizer, outcome));
                }
            }

            var verdict = ProblemVerdict.Of(outcomes, "dqn", GreedyExplore);
            summary.Add(new Dictionary<string, object?>
            {
                ["problem"] = label,
                ["budgets"] = string.Format(CultureInfo.InvariantCulture, "S ≤ {0:0.####} MB, T ≤ {1:0.####} ms", budgets.StorageMB, budgets.LatencyMs),
                ["dqn"] = verdict.Describe("dqn"),
                [GreedyExplore] = verdict.Describe(GreedyExplore),
                ["greedy"] = verdict.Describe("greedy"),
                ["beats"] = verdict.BeatsBeyondSpread ? "yes" : "no",
                ["shipsBest"] = verdict.ShipsBest ? "yes" : "no",
                ["wallRatio"] = verdict.WallRatio("greedy"),
            });
            if (verdict.Complete)
            {
                counted++;
                wins += verdict.BeatsBeyondSpread ? 1 : 0;
                bestShipped += verdict.ShipsBest ? 1 : 0;
                dqnWall += verdict.MeanWall("dqn");
                greedyWall += verdict.MeanWall("greedy");
            }
        }

        report.Tables.Add(summary);
        report.Tables.Add(table);
        report.Notes.Add($"Budgets: storage ≤ {StorageShare:P0} of the original file (the original misses it), latency ≤ the original's cost-model latency on the reference phone ({DeviceBudgets.ReferenceDevice}); accuracy floor: the pipeline default (original − 2 pt on the validation split). {(context.Quick ? "--quick: 30 s search cap, 10 s fine-tune cap." : "Pipeline defaults: " + PipelineDefaults.Describe() + ".")} MNIST t10k split by the pipeline (test split: the reported accuracy).");
        report.Notes.Add("greedy-explore: the greedy sweep, then episodes that keep the best configuration so far and redraw each decision with probability 2/(decision points), stopped at the DQN's count of measured configurations for the same problem and seed. Reward: R1 + R2 of the search's best candidate (hard accuracy floor, paired accuracy).");
        report.Notes.Add("Paper Table 5 (LeNet/MNIST on a RedMi 3S, against W3 on every layer; copied, not measured here): " +
            string.Join("; ", AdaDeep.Bench.Paper.PaperTable5.LeNet.Select(r => string.Format(CultureInfo.InvariantCulture,
                "{0}: A loss {1:0.0} %, S_p {2}×, T {3}×, E {4}×", r.Optimizer, r.AccuracyLossPercent, r.StorageX, r.LatencyX, r.EnergyX))) +
            ". The paper reports one run per optimizer; here every problem has several seeds and a baseline given the DQN's measurement budget.");
        report.Headlines.Add(string.Format(CultureInfo.InvariantCulture, "dqn ships the most accurate model meeting every budget on {0} of {1} problems; mean wall time dqn / greedy {2:0.00}×",
            bestShipped, counted, greedyWall > 0 ? dqnWall / greedyWall : double.NaN));
        report.Footer.Add($"dqn beats greedy+exploration on {wins} of {counted} problems");
        return report;
    }

    /// <summary>Storage: <see cref="StorageShare"/> of the original's file; latency: the original on the reference phone.</summary>
    private static (double StorageMB, double LatencyMs) Budgets(string modelPath, string deviceId)
    {
        var model = OnnxModel.Load(modelPath);
        var reference = CompressPipeline.Costs(model, DeviceCatalog.Default.Resolve(DeviceBudgets.ReferenceDevice));
        return (new FileInfo(modelPath).Length / 1024.0 / 1024.0 * StorageShare, reference.LatencyMs);
    }

    private static Dictionary<string, object?> Row(string label, int seed, string optimizer, PipelineOutcome? o) => new()
    {
        ["problem"] = label,
        ["seed"] = seed,
        ["optimizer"] = optimizer,
        ["chosen"] = o?.Result.Techniques ?? "failed",
        ["bestReward"] = o?.BestReward,
        ["bestMeetsBudgets"] = o is null ? null : o.BestMeetsBudgets ? "yes" : "no",
        ["budgetsMet"] = o is null ? null : o.Result.BudgetsMet ? "yes" : "no",
        ["accuracy"] = o?.Result.Accuracy,
        ["fileMB"] = o?.Result.FileStorageMB,
        ["measured"] = o?.Result.MeasuredConfigurations,
        ["closeCalls"] = o?.Result.SearchCloseCalls,
        ["wallSeconds"] = o?.WallSeconds,
    };

    private static BenchColumn[] BenchColumns() => new[]
    {
        BenchColumn.Text("problem", "problem"),
        BenchColumn.Number("seed", "seed", "0"),
        BenchColumn.Text("optimizer", "optimizer"),
        BenchColumn.Text("chosen", "chosen"),
        BenchColumn.Number("bestReward", "search reward", "0.000"),
        BenchColumn.Text("bestMeetsBudgets", "search best meets budgets"),
        BenchColumn.Text("budgetsMet", "shipped meets budgets"),
        BenchColumn.Percent("accuracy", "test accuracy"),
        BenchColumn.Number("fileMB", "file MB", "0.0000"),
        BenchColumn.Number("measured", "measured configurations", "0"),
        BenchColumn.Number("closeCalls", "close calls (more samples)", "0"),
        BenchColumn.Number("wallSeconds", "wall s", "0.0"),
    };

    private static BenchColumn[] SummaryColumns() => new[]
    {
        BenchColumn.Text("problem", "problem"),
        BenchColumn.Text("budgets", "budgets"),
        BenchColumn.Text("dqn", "dqn reward"),
        BenchColumn.Text(GreedyExplore, "greedy-explore reward"),
        BenchColumn.Text("greedy", "greedy reward"),
        BenchColumn.Text("beats", "dqn beats greedy-explore beyond spread"),
        BenchColumn.Text("shipsBest", "dqn ships the best model"),
        BenchColumn.Ratio("wallRatio", "wall dqn/greedy"),
    };
}
