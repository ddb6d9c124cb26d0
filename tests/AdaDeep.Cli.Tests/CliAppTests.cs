namespace AdaDeep.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public void HelpListsTheCommands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("inspect", result.Output);
        Assert.Contains("devices", result.Output);
    }

    [Fact]
    public void VersionIsTheAssemblyVersion()
    {
        var result = CliRunner.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Output.Trim());
        Assert.Equal(CliApp.Version, result.Output.Trim());
    }

    [Fact]
    public void UnknownCommandIsAUsageError()
    {
        var result = CliRunner.Run("frobnicate");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("frobnicate", result.Error);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var command in CliApp.BuildRootCommand().Subcommands)
        {
            var result = CliRunner.Run(command.Name, "--help");
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Usage:", result.Output);
            Assert.Contains($" {command.Name} ", result.Output);
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"{command.Name} has no description");
        }
    }
}
