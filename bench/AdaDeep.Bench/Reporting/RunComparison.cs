using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AdaDeep.Bench.Reporting;

/// <summary>
/// <c>AdaDeep.Bench compare BASELINE_DIR CANDIDATE_DIR</c>: every number of every suite JSON present in both folders,
/// side by side with its change. Tables are matched by title, rows by their first text field (model, technique,
/// build, …), so a suite that gained or lost rows still compares the rest. Writes comparison.md into the candidate folder.
/// </summary>
public static class RunComparison
{
    public static string Compare(string baselineDirectory, string candidateDirectory)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark comparison").AppendLine();
        md.AppendLine($"Baseline: `{baselineDirectory}`; candidate: `{candidateDirectory}`. Change = candidate ÷ baseline − 1.").AppendLine();
        var compared = 0;
        foreach (var candidateFile in Directory.EnumerateFiles(candidateDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            var baselineFile = Path.Combine(baselineDirectory, Path.GetFileName(candidateFile));
            if (!File.Exists(baselineFile))
            {
                md.AppendLine($"- `{Path.GetFileName(candidateFile)}`: not in the baseline").AppendLine();
                continue;
            }

            using var baseline = JsonDocument.Parse(File.ReadAllText(baselineFile));
            using var candidate = JsonDocument.Parse(File.ReadAllText(candidateFile));
            if (!candidate.RootElement.TryGetProperty("tables", out var candidateTables) || !baseline.RootElement.TryGetProperty("tables", out var baselineTables))
            {
                continue;
            }

            compared++;
            md.AppendLine($"## {Path.GetFileNameWithoutExtension(candidateFile)}").AppendLine();
            md.AppendLine($"Baseline {Describe(baseline.RootElement)}; candidate {Describe(candidate.RootElement)}.").AppendLine();
            md.AppendLine("| table | row | field | baseline | candidate | change |");
            md.AppendLine("|---|---|---|---:|---:|---:|");
            foreach (var table in candidateTables.EnumerateArray())
            {
                var title = table.GetProperty("title").GetString() ?? "";
                var match = baselineTables.EnumerateArray().FirstOrDefault(t => t.GetProperty("title").GetString() == title);
                if (match.ValueKind != JsonValueKind.Object)
                {
                    md.AppendLine($"| {Cell(title)} | (new table) | | | | |");
                    continue;
                }

                var baselineRows = KeyedRows(match);
                foreach (var (key, row) in KeyedRows(table))
                {
                    var before = baselineRows.FirstOrDefault(r => r.Key == key).Row;
                    if (before.ValueKind != JsonValueKind.Object)
                    {
                        md.AppendLine($"| {Cell(title)} | {Cell(key)} | (new row) | | | |");
                        continue;
                    }

                    foreach (var field in row.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
                    {
                        if (!before.TryGetProperty(field.Name, out var old) || old.ValueKind != JsonValueKind.Number)
                        {
                            continue;
                        }

                        var a = old.GetDouble();
                        var b = field.Value.GetDouble();
                        var change = a == 0 ? (b == 0 ? "0%" : "—") : ((b / a) - 1).ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
                        md.AppendLine($"| {Cell(title)} | {Cell(key)} | {field.Name} | {Format(a)} | {Format(b)} | {change} |");
                    }
                }
            }

            md.AppendLine();
        }

        if (compared == 0)
        {
            throw new InvalidOperationException($"no suite JSON file is in both {baselineDirectory} and {candidateDirectory}");
        }

        var path = Path.Combine(candidateDirectory, "comparison.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    /// <summary>Rows keyed by their first text field; a key that repeats in a table gets " #2", " #3", … in order.</summary>
    private static List<(string Key, JsonElement Row)> KeyedRows(JsonElement table)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<(string, JsonElement)>();
        foreach (var row in table.GetProperty("rows").EnumerateArray())
        {
            var key = RowKey(row);
            var count = seen[key] = seen.GetValueOrDefault(key) + 1;
            rows.Add((count == 1 ? key : $"{key} #{count}", row));
        }

        return rows;
    }

    private static string RowKey(JsonElement row)
    {
        foreach (var property in row.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString() ?? "";
            }
        }

        return "";
    }

    private static string Describe(JsonElement root)
    {
        var date = root.TryGetProperty("machine", out var machine) && machine.TryGetProperty("dateUtc", out var d) ? d.GetString() : "?";
        var commit = root.TryGetProperty("commit", out var c) ? c.GetString() : null;
        var load = root.TryGetProperty("loadAverageAtEnd", out var l) ? l.GetString() : "?";
        return $"{date}{(commit is null ? "" : $" at {commit}")} (load at end {load})";
    }

    private static string Format(double value) => Math.Abs(value) >= 1000 || value == Math.Floor(value)
        ? value.ToString("#,0.##", CultureInfo.InvariantCulture)
        : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
