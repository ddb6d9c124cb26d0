using Spectre.Console;

namespace AdaDeep.Cli.Output;

/// <summary>Whether output goes to a person at a terminal (rich tables) or to a file, a pipe or a test (plain text).</summary>
public static class Terminal
{
    /// <summary>
    /// True only for the process's own standard output when it is a terminal that is not "dumb";
    /// any other writer (a captured StringWriter, a redirected stream) gets plain text.
    /// </summary>
    public static bool IsInteractive(TextWriter writer) =>
        ReferenceEquals(writer, Console.Out) &&
        !Console.IsOutputRedirected &&
        Environment.GetEnvironmentVariable("TERM") is not "dumb" &&
        Environment.GetEnvironmentVariable("ADADEEP_PLAIN_OUTPUT") is null or "" or "0";

    public static IAnsiConsole AnsiConsoleFor(TextWriter writer) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
}
