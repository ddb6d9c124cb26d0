using System.Globalization;
using AdaDeep.Bench.Measuring;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 7 item 4: how well the roofline cost model on the `host` profile predicts the latency ONNX Runtime measures
/// here, over compressed variants of the real models (each technique on each layer it applies to; pairs on LeNet-5).
/// </summary>
public sealed class LatencyModelSuite : ISuite
{
    public string Name => "latency-model";

    public string Description => "CostModel on `host` vs OrtLatencyMeter over ≥30 compressed variants";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var repo = context.Repo;
        repo.RequireMnist();
        var host = DeviceCatalog.Default.Resolve("host");
        var runs = context.Quick ? 15 : 41;
        var perModelCap = context.Quick ? 14 : int.MaxValue;
        var mnist = DatasetLoader.Load(repo.Mnist, new DatasetLoadOptions(MaxSamples: 16));
        var models = new[]
        {
            (Label: "mnist-8", Model: OnnxModel.Load(repo.Mnist8), Calibration: (Dataset?)mnist),
            (Label: "cifar10-cnn", Model: OnnxModel.Load(repo.Cifar10), Calibration: (Dataset?)null),
            (Label: "LeNet-5", Model: LeNetProvider.Load(repo), Calibration: (Dataset?)mnist),
        };
        var table = new BenchTable($"Predicted (`host` cost model) vs measured (ORT, median of {runs}, 1 thread) latency", new[]
        {
            BenchColumn.Text("model", "model"),
            BenchColumn.Text("variant", "variant"),
            BenchColumn.Number("macs", "MACs", "N0"),
            BenchColumn.Number("predictedMs", "predicted ms", "0.0000"),
            BenchColumn.Number("measuredMs", "measured ms", "0.0000"),
            BenchColumn.Number("errorPercent", "error %", "+0.0;-0.0"),
        });
        var skipped = 0;
        foreach (var (label, original, calibrationData) in models)
        {
            var options = TechniqueOptions.Default with { PruneSparsity = 0.8f, Calibration = Calibration(original, calibrationData, repo) };
            var variants = new List<(string Name, Func<OnnxModel> Build)> { ("original", () => original) };
            foreach (var technique in TechniqueRegistry.All)
            {
                foreach (var layer in TechniqueApplier.ApplicableLayers(original, technique.Id))
                {
                    variants.Add(($"{technique.Id}@{layer}", () => technique.Apply(original, layer, options)));
                }
            }

            if (label == "LeNet-5" && !context.Quick)
            {
                foreach (var conv in new[] { "W1c", "C1", "C2", "C3", "L1", "L2" })
                {
                    foreach (var fc in new[] { "W1f", "W2", "W3", "L3" })
                    {
                        variants.Add(($"{conv}@conv2+{fc}@fc1,fc2", () => TechniqueApplier.Apply(
                            TechniqueApplier.Apply(original, conv, new[] { "conv2" }, options).Model, fc, new[] { "fc1", "fc2" }, options).Model));
                    }
                }
            }

            foreach (var (name, build) in Spread(variants, perModelCap))
            {
                try
                {
                    var packed = WeightPacker.Pack(build());
                    var bytes = packed.ToBytes();
                    var estimate = CostModel.Estimate(ModelAnalyzer.Analyze(packed), host);
                    var measured = OrtLatencyMeter.MeasureMs(bytes, warmup: 5, runs: runs, threads: 1);
                    table.Add(new Dictionary<string, object?>
                    {
                        ["model"] = label,
                        ["variant"] = name,
                        ["macs"] = estimate.Macs,
                        ["predictedMs"] = estimate.LatencyMs,
                        ["measuredMs"] = measured,
                        ["errorPercent"] = (estimate.LatencyMs / measured - 1) * 100,
                    });
                }
                catch (Exception e)
                {
                    skipped++;
                    report.Notes.Add($"{label} {name} skipped: {e.GetType().Name}: {e.Message}");
                }
            }

            BenchContext.Log($"latency-model: {label} done ({table.Rows.Count} variants so far)");
        }

        report.Tables.Add(table);
        var summary = new BenchTable("Agreement", new[]
        {
            BenchColumn.Text("scope", "scope"),
            BenchColumn.Number("variants", "variants", "0"),
            BenchColumn.Number("spearman", "Spearman ρ", "0.000"),
            BenchColumn.Percent("within15", "within ±15%"),
            BenchColumn.Percent("within10", "within ±10%"),
            BenchColumn.Number("medianAbsError", "median |error| %", "0.0"),
        });
        foreach (var scope in new[] { "all" }.Concat(models.Select(m => m.Label)))
        {
            var rows = table.Rows.Where(r => scope == "all" || (string)r["model"]! == scope).ToArray();
            if (rows.Length < 2)
            {
                continue;
            }

            var errors = rows.Select(r => (double)r["errorPercent"]!).ToArray();
            summary.Add(new Dictionary<string, object?>
            {
                ["scope"] = scope,
                ["variants"] = rows.Length,
                ["spearman"] = RankCorrelation.Spearman(rows.Select(r => (double)r["predictedMs"]!).ToArray(), rows.Select(r => (double)r["measuredMs"]!).ToArray()),
                ["within15"] = errors.Count(e => Math.Abs(e) <= 15) / (double)rows.Length,
                ["within10"] = errors.Count(e => Math.Abs(e) <= 10) / (double)rows.Length,
                ["medianAbsError"] = OrtLatencyMeter.Median(errors.Select(Math.Abs).ToArray()),
            });
        }

        report.Tables.Insert(0, summary);
        if (summary.Rows.Count > 0)
        {
            var all = summary.Rows[0];
            report.Headlines.Add(string.Format(CultureInfo.InvariantCulture,
                "Cost model on `host` vs ORT over {0} variants: Spearman {1:0.000}, {2:P0} within ±15%, {3:P0} within ±10% (nn-Meter reports 99% within ±10% on its devices)",
                all["variants"], all["spearman"], all["within15"], all["within10"]));
        }

        report.Notes.Add($"Variants: the original model and each technique on each Conv/fc layer it applies to{(context.Quick ? $" (--quick: at most {perModelCap} per model, spread over the list)" : ", plus the 24 Table 4 pairs on LeNet-5")}; weights are the rewrites' own (not fine-tuned: latency does not depend on the values), packed with WeightPacker as they ship. Skipped: {skipped}.");
        report.Notes.Add("Measured on a 2-core machine shared with other jobs (see the load average): the measurement itself is noisy at the ±10% level, which bounds the agreement any model can show here.");
        return report;
    }

    /// <summary>At most <paramref name="cap"/> items, evenly spread so that every technique family is represented.</summary>
    private static IEnumerable<T> Spread<T>(IReadOnlyList<T> items, int cap)
    {
        if (items.Count <= cap)
        {
            return items;
        }

        return Enumerable.Range(0, cap).Select(i => items[(int)((long)i * items.Count / cap)]);
    }

    private static CalibrationData Calibration(OnnxModel model, Dataset? data, RepoLayout repo)
    {
        // No data for this model: the pipeline's own seeded synthetic inputs (a model path with no test_data_set beside it).
        data ??= InputData.Load(new CompressRequest { ModelPath = Path.Combine(repo.Root, "none", "model.onnx"), Device = "host", OutputPath = "unused" }, model, new List<string>());
        data = data.ConformTo(model);
        return new CalibrationData(Enumerable.Range(0, Math.Min(8, data.Count)).Select(i => data.Sample(i).ToArray()).ToArray(),
            new[] { 1 }.Concat(data.SampleShape).ToArray());
    }
}
