using Spectre.Console;

namespace AdaDeep.Cli.Output;

/// <summary>Writes a <see cref="TextTable"/> as a Spectre.Console table on a terminal, as plain text otherwise.</summary>
public static class TableRenderer
{
    public static void Write(TextTable table, TextWriter writer)
    {
        if (!Terminal.IsInteractive(writer))
        {
            table.WritePlain(writer);
            return;
        }

        var console = Terminal.AnsiConsoleFor(writer);
        var spectre = new Table().Border(TableBorder.Rounded);
        for (var c = 0; c < table.Headers.Count; c++)
        {
            var column = new TableColumn(new Markup($"[bold]{Markup.Escape(table.Headers[c])}[/]"));
            spectre.AddColumn(table.RightAligned[c] ? column.RightAligned() : column.LeftAligned());
        }

        foreach (var row in table.Rows)
        {
            spectre.AddRow(row.Select(cell => new Text(cell)).ToArray<Spectre.Console.Rendering.IRenderable>());
        }

        if (table.Footer is not null)
        {
            spectre.ShowFooters = true;
            for (var c = 0; c < table.Headers.Count; c++)
            {
                spectre.Columns[c].Footer = new Markup($"[bold]{Markup.Escape(table.Footer[c])}[/]");
            }
        }

        console.Write(spectre);
    }
}
