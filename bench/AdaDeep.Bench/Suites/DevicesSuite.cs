using System.Globalization;
using AdaDeep.Bench.Paper;
using AdaDeep.Bench.Reporting;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 12 item 4, the paper's Table 7: one model (mnist-8, the ONNX model zoo's MNIST CNN) compressed for each of the
/// twelve Table-3 devices with that device's own budgets (<see cref="DeviceBudgets"/>), and per device the chosen
/// combination, A on the untouched MNIST t10k test split, and the S_p, C, T, E reductions, beside the paper's row.
/// </summary>
public sealed class DevicesSuite : ISuite
{
    public string Name => "devices";

    public string Description => "paper Table 7: one model, the twelve Table-3 devices, each with budgets from its profile";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        // mnist-8, not the LeNet-5 trained here: LeNetProvider's training is time-capped and on a loaded machine
        // returns an under-trained model, while mnist-8 is trained already (98.91 % on t10k).
        var modelPath = repo.Mnist8;
        var original = OnnxModel.Load(modelPath);
        var catalog = DeviceCatalog.Default;
        var referenceMs = CompressPipeline.Costs(original, catalog.Resolve(DeviceBudgets.ReferenceDevice)).LatencyMs;
        var table = new BenchTable("mnist-8 (MNIST) per device, budgets from each profile; A on the MNIST t10k test split", new[]
        {
            BenchColumn.Text("device", "device"),
            BenchColumn.Number("storageBudgetMB", "S budget MB", "0.###"),
            BenchColumn.Number("latencyBudgetMs", "T budget ms", "0.####"),
            BenchColumn.Text("energyBudget", "E budget mJ"),
            BenchColumn.Text("techniques", "chosen"),
            BenchColumn.Percent("originalAccuracy", "A orig (test)"),
            BenchColumn.Percent("accuracy", "A (test)"),
            BenchColumn.Ratio("storageX", "S_p ×"),
            BenchColumn.Ratio("macsX", "C ×"),
            BenchColumn.Ratio("latencyX", "T ×"),
            BenchColumn.Ratio("energyX", "E ×"),
            BenchColumn.Text("budgetsMet", "budgets met"),
            BenchColumn.Text("paper", "paper: chosen, S_p/C/T/E ×, A loss"),
        });

        foreach (var paper in PaperTable7.Rows)
        {
            var device = catalog.Resolve(paper.DeviceId);
            var costs = CompressPipeline.Costs(original, device);
            var budgets = DeviceBudgets.For(device, costs.WeightMB, costs.EnergyMJ, referenceMs);
            BenchContext.Log($"devices: compressing mnist-8 for {device.Id} (S ≤ {budgets.StorageMB:0.###} MB, T ≤ {budgets.LatencyMs:0.####} ms, E ≤ {budgets.EnergyMJ?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "-"} mJ)");
            var paperText = string.Format(CultureInfo.InvariantCulture, "{0}, {1}/{2}/{3}/{4}, {5} %",
                paper.Techniques, paper.StorageX, paper.MacsX, paper.LatencyX, paper.EnergyX, paper.AccuracyLossPercent);
            try
            {
                var request = new CompressRequest
                {
                    ModelPath = modelPath,
                    Device = device.Id,
                    DatasetPath = repo.Mnist,
                    StorageBudgetMB = budgets.StorageMB,
                    LatencyBudgetMs = budgets.LatencyMs,
                    EnergyBudgetMJ = budgets.EnergyMJ,
                    OutputPath = "unused",
                };
                if (context.Quick)
                {
                    request = request with
                    {
                        Episodes = QuickEpisodes, TimeBudgetSeconds = QuickSearchSeconds, FineTuneBudget = TimeSpan.FromSeconds(QuickFineTuneSeconds),
                        TrainSamples = QuickTrainSamples,
                    };
                }

                var r = PipelineRunner.Run(request).Result;
                table.Add(new Dictionary<string, object?>
                {
                    ["device"] = $"{paper.Device}. {device.Id}",
                    ["storageBudgetMB"] = budgets.StorageMB,
                    ["latencyBudgetMs"] = budgets.LatencyMs,
                    ["energyBudget"] = budgets.EnergyMJ?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "— (mains)",
                    ["techniques"] = r.Techniques,
                    ["layerChoices"] = r.LayerChoices,
                    ["originalAccuracy"] = r.OriginalAccuracy,
                    ["accuracy"] = r.Accuracy,
                    ["accuracySplit"] = r.AccuracySplit,
                    ["accuracySamples"] = r.AccuracySamples,
                    ["storageX"] = r.OriginalStorageMB / r.StorageMB,
                    ["macsX"] = (double)r.OriginalMacs / r.Macs,
                    ["latencyX"] = r.OriginalLatencyMs / r.LatencyMs,
                    ["energyX"] = r.OriginalEnergyMJ / r.EnergyMJ,
                    ["budgetsMet"] = r.BudgetsMet ? "yes" : "no: " + string.Join("; ", r.Budgets.Where(b => b.Contains("missed", StringComparison.Ordinal))),
                    ["paper"] = paperText,
                    ["searchSeconds"] = r.SearchSeconds,
                    ["fineTuneSeconds"] = r.FineTuneSeconds,
                });
                report.Headlines.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0}. {1}: {2}, A {3:P2} → {4:P2} (test, {5:N0} t10k images), S_p {6:0.0}×, C {7:0.0}×, T {8:0.0}×, E {9:0.0}×, budgets {10} (paper: {11})",
                    paper.Device, device.Id, r.Techniques, r.OriginalAccuracy, r.Accuracy, r.AccuracySamples, r.OriginalStorageMB / r.StorageMB,
                    (double)r.OriginalMacs / r.Macs, r.OriginalLatencyMs / r.LatencyMs, r.OriginalEnergyMJ / r.EnergyMJ, r.BudgetsMet ? "met" : "not met", paperText));
            }
            catch (Exception e)
            {
                report.Notes.Add($"{device.Id}: failed: {e.GetType().Name}: {e.Message}");
            }
        }

        report.Tables.Add(table);
        report.Notes.Add("Budgets from each profile (DeviceBudgets): storage = the original's weights × min(1, L2 cache / 8 MB); energy = the original's energy per inference on the device × min(1, battery mAh / 4,000), none on mains power; latency = the original's estimated latency on device 1 (Xiaomi Redmi 3S); accuracy floor = the original's validation accuracy − 2 pt (the pipeline's default).");
        report.Notes.Add("Data: search and fine-tuning on MNIST `train` (a seeded subset, split into fine-tune and validation); A is measured on the untouched t10k test split. T and E are the cost model's estimates for each device (roofline; no measurement on the device); S_p is the weights that ship.");
        report.Notes.Add(context.Quick
            ? $"--quick: {QuickEpisodes} DQN episodes, search capped at {QuickSearchSeconds} s, final fine-tune capped at {QuickFineTuneSeconds} s, {QuickTrainSamples:N0} training samples; otherwise default settings (dqn, seed 1)."
            : $"Default settings: dqn, seed 1, {PipelineDefaults.Describe()}.");
        report.Notes.Add("The paper's row compresses LeNet on UbiSound (audio), not MNIST: its combinations and ratios are for comparison of the pattern, not of the figures.");
        return report;
    }

    private const int QuickEpisodes = 12;
    private const int QuickSearchSeconds = 40;
    private const int QuickFineTuneSeconds = 20;
    private const int QuickTrainSamples = 4000;
}
