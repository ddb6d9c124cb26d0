using System.Text;

namespace AdaDeep.Bench.Reporting;

/// <summary>A titled table of rows keyed by column; printed as Markdown and kept as JSON.</summary>
public sealed class BenchTable(string title, IReadOnlyList<BenchColumn> columns)
{
    private readonly List<Dictionary<string, object?>> _rows = new();

    public string Title { get; } = title;

    public IReadOnlyList<BenchColumn> Columns { get; } = columns;

    public IReadOnlyList<Dictionary<string, object?>> Rows => _rows;

    public void Add(Dictionary<string, object?> row) => _rows.Add(row);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"### {Title}").AppendLine();
        md.AppendLine("| " + string.Join(" | ", Columns.Select(c => c.Header)) + " |");
        md.AppendLine("|" + string.Concat(Columns.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in _rows)
        {
            md.AppendLine("| " + string.Join(" | ", Columns.Select(c => c.Format(row.GetValueOrDefault(c.Key)).Replace("|", "\\|"))) + " |");
        }

        return md.ToString();
    }
}
