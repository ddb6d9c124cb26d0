using System.Diagnostics;

namespace AdaDeep.Build.Tasks.Tests;

public class CommandLineArgumentsTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\dir with space\\", "\"C:\\dir with space\\\\\"")]
    public void Quotes_like_CommandLineToArgvW(string argument, string expected)
    {
        Assert.Equal(expected, CommandLineArguments.Quote(argument));
    }

    [Fact]
    public void A_child_process_receives_exactly_the_arguments()
    {
        var args = new[] { "a b", "", "q\"uote", "back\\slash\\", "tab\there", "ünï", "it's" };
        var start = new ProcessStartInfo("printf", "%s\\n " + CommandLineArguments.Join(args))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var lines = process.StandardOutput.ReadToEnd().Split('\n');
        process.WaitForExit();
        Assert.Equal(args, lines.Take(args.Length));
    }
}
