using System.Globalization;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Paper;
using AdaDeep.Bench.Reporting;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 5 (paper 5.3.1, Table 5): every optimizer through the full CompressPipeline with the same search time budget,
/// on LeNet-5/MNIST for the RedMi 3S (2 MB / 10 ms as in 5.3.2) and on mnist-8 for the Sony SmartWatch 3; reductions
/// normalised over the model compressed with W3 on every layer (W3Reference), as Table 5 does; single:W3 runs as a strategy too.
/// </summary>
public sealed class OptimizersSuite : ISuite
{
    public static readonly string[] Optimizers = { "dqn", "greedy", "exhaustive", "random", "single:W3" };

    public string Name => "optimizers";

    public string Description => "dqn, greedy, exhaustive, random, single:W3 through the pipeline with equal time budgets";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        context.Repo.RequireMnist();
        var searchSeconds = context.Quick ? 10 : (int)CompressRequest.DefaultTimeBudgetSeconds;
        // Full mode: the pipeline defaults for both (episodes bound the search, epochs the fine-tune; the times are caps).
        var fineTune = TimeSpan.FromSeconds(context.Quick ? 5 : PipelineDefaults.FineTuneCapSeconds);
        var setups = new[]
        {
            (Label: "LeNet-5 / MNIST", Model: LeNetProvider.EnsureTrained(context.Repo), Device: "xiaomi-redmi-3s"),
            (Label: "mnist-8 / MNIST", Model: context.Repo.Mnist8, Device: "sony-sw3"),
        };
        foreach (var setup in setups)
        {
            var outcomes = new Dictionary<string, PipelineOutcome>();
            var request = new CompressRequest
            {
                ModelPath = setup.Model,
                Device = setup.Device,
                StorageBudgetMB = 2,
                LatencyBudgetMs = 10,
                DatasetPath = context.Repo.Mnist,
                Seed = 1,
                TimeBudgetSeconds = searchSeconds,
                FineTuneBudget = fineTune,
                OutputPath = "unused",
            };
            BenchContext.Log($"optimizers: {setup.Label} on {setup.Device}: the W3 reference");
            var w3 = W3Reference.Build(request);
            foreach (var optimizer in Optimizers)
            {
                BenchContext.Log($"optimizers: {setup.Label} on {setup.Device} with {optimizer}");
                try
                {
                    outcomes[optimizer] = PipelineRunner.Run(request with { Optimizer = optimizer });
                }
                catch (Exception e)
                {
                    report.Notes.Add($"{setup.Label}, {optimizer}: failed: {e.GetType().Name}: {e.Message}");
                }
            }

            report.Tables.Add(Table(setup.Label, setup.Device, outcomes, w3, report));
        }

        report.Notes.Add($"Every optimizer got a {searchSeconds} s search cap and a {fineTune.TotalSeconds:0} s cap on the final fine-tune ({(context.Quick ? "--quick" : "the pipeline defaults: " + PipelineDefaults.Describe())}); budgets S_p ≤ 2 MB and T ≤ 10 ms on the device; accuracy floor: original − 2 pt (pipeline default); seed 1; MNIST t10k split by the pipeline (70% fine-tuning, 30% held out, 256 of those for the search).");
        report.Notes.Add("Reward is R1 + R2 (Eq. 8) of the best candidate as the search measured it (after its quick fine-tune, before the final one); the other figures are the final model's. ×: the W3 reference's figure divided by the optimizer's (the reference is W3 on every layer, fine-tuned and measured as the pipeline finishes a candidate; the single:W3 strategy may keep layers unpruned when that scores a higher reward) (above 1 = better than W3); A loss: W3's accuracy minus the optimizer's (points). Latency and energy are the cost model's on the device.");
        report.Notes.Add("Paper columns: Table 5 for [LeNet, MNIST] on a RedMi 3S (AlexNet-sized LeNet of 25 MB, measured on the phone); the paper has no random or single rows.");
        return report;
    }

    private static BenchTable Table(string label, string device, IReadOnlyDictionary<string, PipelineOutcome> outcomes, W3Reference w3, SuiteReport report)
    {
        var table = new BenchTable($"{label} for `{device}` (normalised over W3 on every layer: {w3.Layers})", new[]
        {
            BenchColumn.Text("optimizer", "optimizer"),
            BenchColumn.Text("techniques", "chosen"),
            BenchColumn.Number("bestReward", "best reward", "0.000"),
            BenchColumn.Text("bestMeetsBudgets", "best meets budgets (search)"),
            BenchColumn.Text("budgetsMet", "final meets budgets"),
            BenchColumn.Percent("accuracy", "A"),
            BenchColumn.Number("accuracyLoss", "A loss vs W3 (pt)", "+0.00;-0.00"),
            BenchColumn.Ratio("storageX", "S_p ×"),
            BenchColumn.Ratio("macsX", "MACs ×"),
            BenchColumn.Ratio("latencyX", "T ×"),
            BenchColumn.Ratio("energyX", "E ×"),
            BenchColumn.Number("storageMB", "S_p MB", "0.0000"),
            BenchColumn.Number("latencyMs", "T ms", "0.000"),
            BenchColumn.Number("searchSeconds", "search s", "0.0"),
            BenchColumn.Number("candidates", "candidates", "0"),
            BenchColumn.Text("paper", "paper Table 5 (A loss, S_p×, T×, E×)"),
        });
        table.Add(new Dictionary<string, object?>
        {
            ["optimizer"] = "W3 reference (fixed)",
            ["techniques"] = $"W3 on {w3.Layers}",
            ["accuracy"] = w3.Accuracy,
            ["storageMB"] = w3.StorageMB,
            ["latencyMs"] = w3.LatencyMs,
            ["macs"] = w3.Macs,
            ["energyMJ"] = w3.EnergyMJ,
        });
        foreach (var (optimizer, outcome) in outcomes)
        {
            var r = outcome.Result;
            var paper = PaperTable5.Find(optimizer);
            table.Add(new Dictionary<string, object?>
            {
                ["optimizer"] = optimizer,
                ["techniques"] = string.Join(" ", r.LayerChoices),
                ["bestReward"] = outcome.BestReward,
                ["bestMeetsBudgets"] = outcome.BestMeetsBudgets ? "yes" : "no",
                ["budgetsMet"] = r.BudgetsMet ? "yes" : "no",
                ["accuracy"] = r.Accuracy,
                ["accuracyLoss"] = (w3.Accuracy - r.Accuracy) * 100,
                ["storageX"] = w3.StorageMB / r.StorageMB,
                ["macsX"] = (double)w3.Macs / r.Macs,
                ["latencyX"] = w3.LatencyMs / r.LatencyMs,
                ["energyX"] = w3.EnergyMJ / r.EnergyMJ,
                ["storageMB"] = r.StorageMB,
                ["macs"] = r.Macs,
                ["energyMJ"] = r.EnergyMJ,
                ["latencyMs"] = r.LatencyMs,
                ["searchSeconds"] = r.SearchSeconds,
                ["candidates"] = r.CandidatesSeen,
                ["paper"] = paper is null ? null : string.Format(CultureInfo.InvariantCulture, "{0:0.0}%, {1}×, {2}×, {3}×", paper.AccuracyLossPercent, paper.StorageX, paper.LatencyX, paper.EnergyX),
                ["originalAccuracy"] = r.OriginalAccuracy,
                ["originalStorageMB"] = r.OriginalStorageMB,
                ["originalLatencyMs"] = r.OriginalLatencyMs,
                ["wallSeconds"] = outcome.WallSeconds,
            });
        }

        if (outcomes.TryGetValue("dqn", out var dqn))
        {
            string Versus(string other) => outcomes.TryGetValue(other, out var o)
                ? (dqn.BestReward > o.BestReward ? "beats" : dqn.BestReward == o.BestReward ? "ties" : "loses to") + $" {other} ({dqn.BestReward:0.000} vs {o.BestReward:0.000})"
                : $"{other} did not run";
            report.Headlines.Add($"{label} on {device}: DQN {(dqn.Result.BudgetsMet ? "meets" : "misses")} the budgets with {dqn.Result.Techniques}; on reward it {Versus("greedy")} and {Versus("random")}");
        }

        return table;
    }
}
