using System.Globalization;
using System.Text;
using System.Text.Json;
using AdaDeep.Search.Reporting;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The run's report: JSON with every figure (the result plus the whole search), and Markdown for people and CI
/// summaries (per-layer choices, before/after A, S, C, T, E, budgets met or missed by how much).
/// </summary>
public static class ReportWriter
{
    public static string Json(CompressResult result, SearchReport search)
    {
        using var doc = JsonDocument.Parse(search.ToJson());
        using var resultDoc = JsonDocument.Parse(result.ToJson());
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            resultDoc.RootElement.WriteTo(writer);
            writer.WritePropertyName("search");
            doc.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string Markdown(CompressResult r, SearchReport search)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# AdaDeep compression report: {Path.GetFileName(r.Model)} for `{r.Device}`");
        md.AppendLine();
        md.AppendLine(inv, $"Techniques: **{r.Techniques}** · optimizer `{r.Optimizer}` (seed {r.Seed}) · search {r.SearchSeconds:0.0} s over {r.CandidatesSeen} candidates · fine-tuning {r.FineTuneSeconds:0.0} s");
        md.AppendLine();
        md.AppendLine(inv, $"Budgets — {Verdict(r, search)}.");
        md.AppendLine();
        if (r.ValidationHeadline is { } gate)
        {
            // The headline says what the shipped model was compared on: how many inputs, real or synthetic, at which shape.
            md.AppendLine(inv, $"**{gate}**");
            md.AppendLine();
        }

        if (r.AccuracyHeadline is { } accuracy)
        {
            md.AppendLine(inv, $"Accuracy headline: **{accuracy}**");
            md.AppendLine();
        }

        md.AppendLine("| metric | original | compressed | change |");
        md.AppendLine("|---|---:|---:|---:|");
        var metric = r.AccuracyIsAgreement ? "agreement with original (A)" : "accuracy (A)";
        if (AccuracyMeasures.ReplacesPercentage(r.AccuracyMeasure))
        {
            metric += " — not meaningful for this output, see the headline";
        }

        md.AppendLine(inv, $"| {metric}, {r.AccuracySplit} split | {r.OriginalAccuracy:P2} | {r.Accuracy:P2} | {(r.Accuracy - r.OriginalAccuracy) * 100:+0.00;-0.00} pt |");
        md.AppendLine(inv, $"| {metric}, validation split | {r.OriginalValidationAccuracy:P2} | {r.ValidationAccuracy:P2} | {(r.ValidationAccuracy - r.OriginalValidationAccuracy) * 100:+0.00;-0.00} pt |");
        md.AppendLine(inv, $"| file size (bytes that ship) | {r.OriginalSizeBytes:N0} | {r.SizeBytes:N0} | {Ratio(r.OriginalSizeBytes, r.SizeBytes)} |");
        md.AppendLine(inv, $"| file size (MiB, judged by the storage budget) | {r.OriginalSizeBytes / 1048576.0:0.####} | {r.FileStorageMB:0.####} | {Ratio(r.OriginalSizeBytes, r.SizeBytes)} |");
        md.AppendLine(inv, $"| weights S_p (MiB) | {r.OriginalStorageMB:0.####} | {r.StorageMB:0.####} | {Ratio(r.OriginalStorageMB, r.StorageMB)} |");
        md.AppendLine(inv, $"| computation C (MACs) | {r.OriginalMacs:N0} | {r.Macs:N0} | {Ratio(r.OriginalMacs, r.Macs)} |");
        md.AppendLine(inv, $"| latency T (ms) | {r.OriginalLatencyMs:0.####} | {r.LatencyMs:0.####} | {Ratio(r.OriginalLatencyMs, r.LatencyMs)} |");
        md.AppendLine(inv, $"| ONNX Runtime latency on this host (ms) | {r.OriginalHostOrtLatencyMs:0.####} | {r.HostOrtLatencyMs:0.####} | {Speedup(r.OriginalHostOrtLatencyMs, r.HostOrtLatencyMs)} |");
        md.AppendLine(inv, $"| energy E (mJ) | {r.OriginalEnergyMJ:0.#####} | {r.EnergyMJ:0.#####} | {Ratio(r.OriginalEnergyMJ, r.EnergyMJ)} |");
        md.AppendLine();
        md.AppendLine(inv, $"Speed gate: **{r.SpeedGate}** — {SpeedGateText(r.SpeedGate)}");
        if (r.InputShapes is { } shapes)
        {
            md.AppendLine();
            md.AppendLine(inv, $"Costs, latency and validation at input shapes: {shapes}.");
        }
        md.AppendLine();
        md.AppendLine(inv, $"The reported accuracy is measured on the {r.AccuracySplit} split ({r.AccuracySamples:N0} samples the search and fine-tuning never saw){(r.AccuracyIsAgreement ? " without labels: it is top-1 agreement with the original model" : "")}; the accuracy budget is checked on the validation split.");
        md.AppendLine();
        if (r.Splits.Count > 0)
        {
            md.AppendLine("## Data splits");
            md.AppendLine();
            md.AppendLine("| split | samples | source | used for |");
            md.AppendLine("|---|---:|---|---|");
            foreach (var split in r.Splits)
            {
                md.AppendLine(inv, $"| {split.Name} | {split.Samples:N0} | {split.Source.Replace("|", "\\|")} | {split.Use} |");
            }

            md.AppendLine();
        }
        if (r.Budgets.Count > 0)
        {
            md.AppendLine(inv, $"## Budgets ({BudgetVerdict.ShippedModel})");
            md.AppendLine();
            foreach (var b in r.Budgets)
            {
                md.AppendLine(inv, $"- {b}");
            }

            md.AppendLine();
        }

        if (r.Warnings.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Warnings");
            md.AppendLine();
            foreach (var w in r.Warnings)
            {
                md.AppendLine(inv, $"- {w}");
            }

            md.AppendLine();
        }

        // The search's own report: per-layer choices, its estimates before fine-tuning, the Pareto front.
        md.AppendLine(search.ToMarkdown().Replace("\n# Search report", "\n## Search report").Replace("# Search report", "## Search report"));
        return md.ToString();
    }

    /// <summary>
    /// The header's verdict, worded by <see cref="BudgetVerdict"/> as the search section words it. A search report
    /// without the shipped model's checks (not written by the pipeline) falls back on the result's own flag.
    /// </summary>
    private static string Verdict(CompressResult r, SearchReport search) => search.ShippedBudgetChecks is not null
        ? search.Verdict(markdown: true)
        : $"{BudgetVerdict.Headline(search.BudgetChecks, null, markdown: true)}; {BudgetVerdict.ShippedModel}: **{(r.BudgetsMet ? "all budgets met" : "budgets NOT met")}**";

    private static string Speedup(double beforeMs, double afterMs) =>
        afterMs <= 0 ? "—" : string.Format(CultureInfo.InvariantCulture, "{0:0.##}× {1}", afterMs <= beforeMs ? beforeMs / afterMs : afterMs / beforeMs, afterMs <= beforeMs ? "faster" : "slower");

    private static string SpeedGateText(string gate) => gate switch
    {
        SpeedGate.Passed => "the compressed model is not slower than the original in ONNX Runtime on this host.",
        SpeedGate.DroppedDeferred => "the chosen model was slower in ONNX Runtime on this host; it ships without its quantisation (see the warnings).",
        SpeedGate.ShippedOriginal => "every compressed variant was slower in ONNX Runtime on this host; the original model ships (see the warnings).",
        _ => "the target is not this host; the host figures above are for information.",
    };

    private static string Ratio(double before, double after) =>
        after <= 0 ? "—" : string.Format(CultureInfo.InvariantCulture, "{0:0.##}×", before / after);
}
