using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using AdaDeep.Cli.Commands;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli;

/// <summary>
/// Builds the command tree and runs it (commands live in Commands/, one per file). Errors the user can act on
/// (<see cref="AdaDeepException"/>) print as <c>file: error CODE: message</c> on stderr and exit with their family's
/// code: 0 ok, 1 usage, 2 model, 3 device/profile, 4 technique/data, 5 budget, 6 cache/output, 7 project, 70 internal.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int UsageError = 1;
    public const int InternalError = 70;

    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("AdaDeep: compress ONNX models for a target device under latency, storage, energy and accuracy budgets.");

        // One line per command. Add new commands (compress, cache, ...) here.
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(CompressCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(WarmCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        ProjectCommand.AttachTo(root); // `adadeep` with no command: the project listing

        // --version prints this tool's version, also when the CLI runs inside another process (tests, hosts).
        root.Options.OfType<VersionOption>().Single().Action = new PrintVersionAction();
        return root;
    }

    /// <summary>The tool's version: the informational version of this assembly (version+commit).</summary>
    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CliApp).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the CLI with its output and errors sent to the given writers (tests capture them this way).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            var parse = BuildRootCommand().Parse(args);
            if (parse.Errors.Count > 0)
            {
                // One line per problem, in the form build logs read, instead of a .NET type name and the whole help.
                foreach (var problem in parse.Errors)
                {
                    error.WriteLine($"adadeep: error {ErrorCodes.CommandLineInvalid}: {problem.Message}");
                }

                var command = parse.CommandResult.Command is RootCommand ? "adadeep" : "adadeep " + parse.CommandResult.Command.Name;
                error.WriteLine($"adadeep: run `{command} --help` for the options");
                return UsageError;
            }

            return parse.Invoke(configuration);
        }
        catch (AdaDeepException e)
        {
            error.WriteLine(e.ToMSBuildString());
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A native library's message can carry its whole stack (TorchSharp's does): the first line, unless debugging.
            error.WriteLine($"adadeep: error {ErrorCodes.Internal}: internal error ({e.GetType().Name}): {e.Message.Split('\n')[0].Trim()}");
            if (Environment.GetEnvironmentVariable("ADADEEP_DEBUG") is "1")
            {
                error.WriteLine(e);
            }

            return InternalError;
        }
    }

    private sealed class PrintVersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return Ok;
        }
    }
}
