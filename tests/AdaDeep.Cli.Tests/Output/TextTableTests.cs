using AdaDeep.Cli.Output;

namespace AdaDeep.Cli.Tests.Output;

public class TextTableTests
{
    [Fact]
    public void PlainTextAlignsColumnsAndSetsTheFooterApart()
    {
        var table = new TextTable(("Name", false), ("MACs", true))
            .AddRow("conv1", "5,184")
            .AddRow("fc", "160")
            .SetFooter("Total", "5,344");
        var writer = new StringWriter();
        table.WritePlain(writer);
        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[]
        {
            "Name    MACs",
            "-----  -----",
            "conv1  5,184",
            "fc       160",
            "-----  -----",
            "Total  5,344",
        }, lines);
    }

    [Fact]
    public void CapturedWritersAreNotInteractive()
    {
        Assert.False(Terminal.IsInteractive(new StringWriter()));
    }

    [Fact]
    public void RowsMustFillTheColumns()
    {
        Assert.Throws<ArgumentException>(() => new TextTable(("A", false), ("B", false)).AddRow("only one"));
    }

    [Fact]
    public void ShapesAndNumbersUseInvariantFormats()
    {
        Assert.Equal("[1,8,28,28] ?", Formatting.Shapes(new[] { new long[] { 1, 8, 28, 28 }, null }));
        Assert.Equal("1,234,567", Formatting.Count(1_234_567));
        Assert.Equal("0.125", Formatting.Milliseconds(0.125));
    }
}
