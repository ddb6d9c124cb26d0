namespace AdaDeep.Cli.Output;

/// <summary>
/// A table of text cells, rendered with Spectre.Console on a terminal (<see cref="TableRenderer"/>) or as aligned
/// plain text when the output is redirected, so logs and scripts see stable columns.
/// </summary>
public sealed class TextTable
{
    private readonly List<string[]> _rows = new();

    public TextTable(params (string Header, bool RightAligned)[] columns)
    {
        Headers = columns.Select(c => c.Header).ToArray();
        RightAligned = columns.Select(c => c.RightAligned).ToArray();
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<bool> RightAligned { get; }

    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>A last row set apart from the others (totals).</summary>
    public string[]? Footer { get; private set; }

    public TextTable AddRow(params string[] cells)
    {
        _rows.Add(Fit(cells));
        return this;
    }

    public TextTable SetFooter(params string[] cells)
    {
        Footer = Fit(cells);
        return this;
    }

    /// <summary>Columns padded to their widest cell, two spaces apart, a dashed line under the header and above the footer.</summary>
    public void WritePlain(TextWriter writer)
    {
        var all = new List<string[]> { Headers.ToArray() };
        all.AddRange(_rows);
        if (Footer is not null)
        {
            all.Add(Footer);
        }

        var widths = Enumerable.Range(0, Headers.Count).Select(c => all.Max(r => r[c].Length)).ToArray();
        var rule = string.Join("  ", widths.Select(w => new string('-', w)));
        WriteLine(writer, Headers.ToArray(), widths);
        writer.WriteLine(rule);
        foreach (var row in _rows)
        {
            WriteLine(writer, row, widths);
        }

        if (Footer is not null)
        {
            writer.WriteLine(rule);
            WriteLine(writer, Footer, widths);
        }
    }

    private void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        var padded = cells.Select((cell, c) => RightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
        writer.WriteLine(string.Join("  ", padded).TrimEnd());
    }

    private string[] Fit(string[] cells)
    {
        if (cells.Length != Headers.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {Headers.Count} columns");
        }

        return cells;
    }
}
