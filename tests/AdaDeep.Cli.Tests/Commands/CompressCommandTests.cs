namespace AdaDeep.Cli.Tests.Commands;

/// <summary>`adadeep compress` reads its numeric options with the contract's one parser (ItemSetting) and reports a
/// bad command line in one line, not with a .NET type name and the whole help.</summary>
public class CompressCommandTests
{
    [Theory]
    [InlineData("--latency-budget-ms", "abc", "a positive number")]
    [InlineData("--latency-budget-ms", "-1", "a positive number")]
    [InlineData("--min-accuracy", "1.5", "a number in (0, 1]")]
    [InlineData("--time-budget", "1,5", "a positive number")]
    public void A_bad_number_is_one_coded_line_and_exit_code_1(string option, string value, string expected)
    {
        var result = CliRunner.Run("compress", "--device", "sony-sw3", option, value);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"adadeep: error ADA6101: {option} '{value}' is not {expected}", lines[0]);
        Assert.Contains("adadeep compress --help", lines[^1]);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain("Nullable", result.Error);
        Assert.DoesNotContain("Usage:", result.Output + result.Error);
    }

    [Fact]
    public void An_unknown_option_is_reported_the_same_way()
    {
        var result = CliRunner.Run("compress", "--device", "sony-sw3", "--latency-budget", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("adadeep: error ADA6101: ", result.Error);
        Assert.DoesNotContain("Usage:", result.Output + result.Error);
    }
}
