using System.Globalization;
using AdaDeep.Bench.Measuring;
using AdaDeep.Bench.Models;
using AdaDeep.Bench.Paper;
using AdaDeep.Bench.Reporting;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Environments;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Issue 4: every technique on LeNet-5/MNIST, alone and in the paper's 24 conv×fc pairs (Table 4), before and after a
/// fixed-time distillation fine-tune; storage, file bytes, MACs, ORT latency here, latency and energy on the RedMi 3S.
/// The paper applies fc techniques to AlexNet's fc1/fc2 and conv techniques to conv2; so do we on LeNet-5.
/// </summary>
public sealed class TechniquesSuite : ISuite
{
    public const string Device = "xiaomi-redmi-3s";
    private static readonly string[] FcLayers = { "fc1", "fc2" };
    private static readonly string[] ConvLayers = { "conv2" };
    private static readonly string[] FcTechniques = { "W1f", "W2", "W3", "L3" };
    private static readonly string[] ConvTechniques = { "W1c", "C1", "C2", "C3", "L1", "L2" };

    public string Name => "techniques";

    public string Description => "each technique and the 24 fc×conv pairs of Table 4 on LeNet-5/MNIST";

    public SuiteReport Run(BenchContext context)
    {
        var report = context.NewReport(Name);
        var quick = context.Quick;
        var teacher = LeNetProvider.Load(context.Repo);
        var device = DeviceCatalog.Default.Resolve(Device);
        var test = DatasetLoader.Load(context.Repo.Mnist, new DatasetLoadOptions(MaxSamples: quick ? 1000 : 10000)).ConformTo(teacher);
        var pool = DatasetLoader.Load(context.Repo.Mnist, new DatasetLoadOptions(MaxSamples: 12000, MnistPart: "train")).ConformTo(teacher);
        var (trainPool, validationPool) = pool.Split(0.1, seed: 1);
        var train = trainPool.Take(quick ? 2000 : 10000);
        var validation = validationPool.Take(quick ? 500 : 1000);
        var fineTuneBudget = TimeSpan.FromSeconds(quick ? 4 : 20);
        var latencyRuns = quick ? 15 : 41;
        var options = TechniqueOptions.Default with
        {
            // The paper's |w| < 0.001 prunes almost nothing from a small trained net; the pipeline's default sparsity instead.
            PruneSparsity = 0.8f,
            Calibration = new CalibrationData(Enumerable.Range(0, 16).Select(i => test.Sample(i).ToArray()).ToArray(), new[] { 1 }.Concat(test.SampleShape).ToArray()),
        };

        Dictionary<string, object?> Measure(string config, string layers, OnnxModel student, bool fineTune)
        {
            BenchContext.Log($"techniques: {config} on {layers}");
            var row = new Dictionary<string, object?> { ["config"] = config, ["layers"] = layers };
            var accuracyBefore = ModelMeter.Accuracy(student, test);
            var final = student;
            var fineTuneSeconds = 0.0;
            if (fineTune)
            {
                var tuned = Distiller.FineTune(teacher, student, train, validation,
                    new FineTuneOptions(MaxEpochs: 5, BatchSize: 32, LearningRate: 1e-3, Patience: 2, TimeBudget: fineTuneBudget, Seed: 0));
                final = tuned.Model;
                fineTuneSeconds = tuned.Elapsed.TotalSeconds;
            }

            var packed = WeightPacker.Pack(final);
            var figures = ModelMeter.Measure(packed, device, latencyRuns);
            row["accuracyBefore"] = accuracyBefore;
            row["accuracyAfter"] = fineTune ? ModelMeter.Accuracy(packed, test) : accuracyBefore;
            row["fineTuneSeconds"] = fineTuneSeconds;
            row["parameterBytes"] = figures.ParameterBytes;
            row["fileBytes"] = figures.FileBytes;
            row["macs"] = figures.Macs;
            row["ortMs"] = figures.OrtLatencyMs;
            row["deviceMs"] = figures.DeviceLatencyMs;
            row["deviceMJ"] = figures.DeviceEnergyMJ;
            return row;
        }

        Dictionary<string, object?> Failed(string config, string layers, Exception e)
        {
            BenchContext.Log($"techniques: {config} on {layers} failed: {e.Message}");
            report.Notes.Add($"{config} on {layers} failed: {e.GetType().Name}: {e.Message}");
            return new Dictionary<string, object?> { ["config"] = config, ["layers"] = layers, ["error"] = e.Message };
        }

        var singles = new BenchTable($"Single techniques on LeNet-5/MNIST ({test.Count} test images; RedMi 3S = `{Device}` cost model)", Columns());
        singles.Add(Measure("original", "—", teacher, fineTune: false));
        foreach (var technique in TechniqueRegistry.All)
        {
            var applicable = TechniqueApplier.ApplicableLayers(teacher, technique.Id);
            var paperLayers = FcTechniques.Contains(technique.Id) ? FcLayers : ConvTechniques.Contains(technique.Id) ? ConvLayers : applicable.ToArray();
            var sets = new List<IReadOnlyList<string>> { paperLayers.Where(applicable.Contains).ToArray() };
            if (!quick)
            {
                sets.AddRange(applicable.Where(l => !(sets[0].Count == 1 && sets[0][0] == l)).Select(l => (IReadOnlyList<string>)new[] { l }));
            }

            foreach (var layers in sets)
            {
                var label = layers.Count == 0 ? "none applicable" : string.Join("+", layers);
                if (layers.Count == 0)
                {
                    singles.Add(new Dictionary<string, object?> { ["config"] = technique.Id, ["layers"] = label });
                    continue;
                }

                try
                {
                    var (student, applied) = TechniqueApplier.Apply(teacher, technique.Id, layers, options);
                    var fineTune = technique.NeedsFineTuning && !CompressionEnvironment.IsDeferred(technique.Id);
                    singles.Add(Measure(technique.Id, string.Join("+", applied), student, fineTune));
                }
                catch (Exception e)
                {
                    singles.Add(Failed(technique.Id, label, e));
                }
            }
        }

        report.Tables.Add(singles);

        var pairs = new BenchTable("The paper's 24 pairs (conv technique on conv2 + fc technique on fc1, fc2), after fine-tuning", Columns());
        foreach (var conv in ConvTechniques)
        {
            foreach (var fc in FcTechniques)
            {
                var config = $"{conv}+{fc}";
                try
                {
                    var (afterConv, convLayers) = TechniqueApplier.Apply(teacher, conv, ConvLayers, options);
                    var (student, fcLayers) = TechniqueApplier.Apply(afterConv, fc, FcLayers, options);
                    pairs.Add(Measure(config, string.Join("+", convLayers.Concat(fcLayers)), student, fineTune: true));
                }
                catch (Exception e)
                {
                    pairs.Add(Failed(config, "conv2+fc1+fc2", e));
                }
            }
        }

        report.Tables.Add(pairs);
        var w3 = singles.Rows.First(r => (string?)r["config"] == "W3");
        report.Tables.Add(CompareWithPaper(pairs, w3, report));
        report.Headlines.Add(Format("LeNet-5 original: accuracy {0:P2} on {1} MNIST test images, {2:N0} parameter bytes, {3:N0} file bytes, {4:0.###} ms in ORT here, {5:0.###} ms / {6:0.####} mJ on the RedMi 3S model",
            singles.Rows[0]["accuracyAfter"], test.Count, singles.Rows[0]["parameterBytes"], singles.Rows[0]["fileBytes"], singles.Rows[0]["ortMs"], singles.Rows[0]["deviceMs"], singles.Rows[0]["deviceMJ"]));
        report.Notes.Add($"Fine-tuning: Distiller (teacher = the trained LeNet-5), {train.Count} training images, {fineTuneBudget.TotalSeconds:0} s per row, at most 5 epochs; " +
                         $"validation {validation.Count} held-out training images. Q8W/Q8 are not fine-tuned (the pipeline applies them after fine-tuning), nor techniques that do not need it.");
        report.Notes.Add($"W3 prunes 80% of each layer's weights (the pipeline's PruneSparsity default), not |w| < 0.001. Latency: ORT median of {latencyRuns} runs, 1 thread, on this loaded machine; device figures are the CostModel estimate for `{Device}`.");
        report.Notes.Add("Parameter bytes are S_p as the cost model counts what ships (packed sparse/int8 weights included); file bytes are the saved .onnx after WeightPacker.Pack.");
        return report;
    }

    private static BenchTable CompareWithPaper(BenchTable pairs, Dictionary<string, object?> w3, SuiteReport report)
    {
        var table = new BenchTable("Relative to W3 on fc1+fc2 (after fine-tuning): ours (LeNet-5/MNIST, RedMi 3S cost model) vs the paper's Table 4 (AlexNet/CIFAR-10, RedMi 3S measured)", new[]
        {
            BenchColumn.Text("config", "conv+fc"),
            BenchColumn.Number("ourAccuracyDelta", "ΔA ours (pt)", "+0.00;-0.00"),
            BenchColumn.Number("paperAccuracyDelta", "ΔA paper (pt)", "+0.0;-0.0"),
            BenchColumn.Ratio("ourStorage", "S_p/W3 ours"),
            BenchColumn.Ratio("paperStorage", "S_p/W3 paper"),
            BenchColumn.Ratio("ourLatency", "T/W3 ours (model)"),
            BenchColumn.Ratio("ourOrtLatency", "T/W3 ours (ORT)"),
            BenchColumn.Ratio("paperLatency", "T/W3 paper"),
            BenchColumn.Ratio("ourEnergy", "E/W3 ours"),
            BenchColumn.Ratio("paperEnergy", "E/W3 paper"),
        });
        var baseA = (double)w3["accuracyAfter"]!;
        var baseS = Convert.ToDouble(w3["parameterBytes"]);
        var baseT = (double)w3["deviceMs"]!;
        var baseOrt = (double)w3["ortMs"]!;
        var baseE = (double)w3["deviceMJ"]!;
        var p = PaperTable4.W3Only;
        foreach (var row in pairs.Rows.Where(r => !r.ContainsKey("error")))
        {
            var parts = ((string)row["config"]!).Split('+');
            var paper = PaperTable4.Find(parts[0], parts[1]);
            table.Add(new Dictionary<string, object?>
            {
                ["config"] = row["config"],
                ["ourAccuracyDelta"] = ((double)row["accuracyAfter"]! - baseA) * 100,
                ["paperAccuracyDelta"] = paper.AccuracyPercent - p.AccuracyPercent,
                ["ourStorage"] = Convert.ToDouble(row["parameterBytes"]) / baseS,
                ["paperStorage"] = paper.StorageMB / p.StorageMB,
                ["ourLatency"] = (double)row["deviceMs"]! / baseT,
                ["ourOrtLatency"] = (double)row["ortMs"]! / baseOrt,
                ["paperLatency"] = paper.LatencyMs / p.LatencyMs,
                ["ourEnergy"] = (double)row["deviceMJ"]! / baseE,
                ["paperEnergy"] = paper.EnergyMJ / p.EnergyMJ,
            });
        }

        if (table.Rows.Count >= 3)
        {
            double Rho(string ours, string theirs) => RankCorrelation.Spearman(
                table.Rows.Select(r => (double)r[ours]!).ToArray(), table.Rows.Select(r => (double)r[theirs]!).ToArray());
            report.Headlines.Add(Format("Agreement of our pair ranking with the paper's Table 4 (Spearman over {0} pairs): ΔA {1:0.00}, S_p {2:0.00}, T {3:0.00} (cost model) / {4:0.00} (ORT), E {5:0.00}",
                table.Rows.Count, Rho("ourAccuracyDelta", "paperAccuracyDelta"), Rho("ourStorage", "paperStorage"),
                Rho("ourLatency", "paperLatency"), Rho("ourOrtLatency", "paperLatency"), Rho("ourEnergy", "paperEnergy")));
        }

        report.Headlines.Add(Format("W3 on fc1+fc2 (our reference): accuracy {0:P2}, {1:N0} parameter bytes, {2:0.###} ms / {3:0.####} mJ on the RedMi 3S model",
            baseA, baseS, baseT, baseE));
        return table;
    }

    private static BenchColumn[] Columns() => new[]
    {
        BenchColumn.Text("config", "technique"),
        BenchColumn.Text("layers", "layers"),
        BenchColumn.Percent("accuracyBefore", "A before FT"),
        BenchColumn.Percent("accuracyAfter", "A after FT"),
        BenchColumn.Number("fineTuneSeconds", "FT s", "0.0"),
        BenchColumn.Number("parameterBytes", "S_p bytes", "N0"),
        BenchColumn.Number("fileBytes", "file bytes", "N0"),
        BenchColumn.Number("macs", "MACs", "N0"),
        BenchColumn.Number("ortMs", "ORT ms (here)", "0.000"),
        BenchColumn.Number("deviceMs", "RedMi 3S ms (model)", "0.000"),
        BenchColumn.Number("deviceMJ", "RedMi 3S mJ (model)", "0.0000"),
        BenchColumn.Text("error", "error"),
    };

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
