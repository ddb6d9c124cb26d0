namespace AdaDeep.Build.Tasks.Tests;

public class ToolOutputLineTests
{
    [Fact]
    public void Progress_lines_carry_percent_and_message()
    {
        var line = ToolOutputLine.Parse("adadeep:progress 42.5 searching layer 3/7");
        Assert.Equal(ToolOutputKind.Progress, line.Kind);
        Assert.Equal(42.5, line.Percent);
        Assert.Equal("searching layer 3/7", line.Text);
        Assert.Null(line.Stage);
    }

    [Theory]
    [InlineData("adadeep:progress 5 search: searching with dqn for sony-sw3 (60 s budget)", "search")]
    [InlineData("adadeep:progress 70 fine-tune: 20%", "fine-tune")]
    [InlineData("adadeep:progress 3 held out: x", null)]
    [InlineData("adadeep:progress 3 search:nospace", null)]
    public void The_stage_is_the_word_before_the_colon_the_cli_writes(string text, string? stage)
    {
        var line = ToolOutputLine.Parse(text);
        Assert.Equal(stage, line.Stage);
        Assert.Equal(text.Substring(text.IndexOf(' ', "adadeep:progress ".Length) + 1), line.Text);
    }

    [Theory]
    [InlineData("models/net.onnx: error ADA1002: not an ONNX model", "Error", "models/net.onnx", 0, "ADA1002", "not an ONNX model")]
    [InlineData("watch.yaml(12,3): warning ADA2003: peak is negative", "Warning", "watch.yaml", 12, "ADA2003", "peak is negative")]
    [InlineData("adadeep: error ADA9001: internal: x: y", "Error", null, 0, "ADA9001", "internal: x: y")]
    [InlineData("C:\\m\\net.onnx : error ADA1001: model not found", "Error", "C:\\m\\net.onnx", 0, "ADA1001", "model not found")]
    public void Canonical_diagnostics_are_recognised(string text, string kind, string? file, int line, string code, string message)
    {
        var parsed = ToolOutputLine.Parse(text);
        Assert.Equal(kind, parsed.Kind.ToString());
        Assert.Equal(file, parsed.File);
        Assert.Equal(line, parsed.Line);
        Assert.Equal(code, parsed.Code);
        Assert.Equal(message, parsed.Text);
    }

    [Theory]
    [InlineData("Searching… 40%")]
    [InlineData("adadeep:progress soon")]
    [InlineData("the error was: nothing")]
    public void Anything_else_is_text(string text)
    {
        var parsed = ToolOutputLine.Parse(text);
        Assert.Equal(ToolOutputKind.Text, parsed.Kind);
        Assert.Equal(text, parsed.Text);
    }
}
