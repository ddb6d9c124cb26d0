using System.CommandLine;
using AdaDeep.Cli.Project;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// `adadeep report [--devices …] [--project P] [--output FILE.md]`: a Markdown table of the project's model variants
/// from the cache (size, MACs, latency and energy against the budgets, accuracy, cached or not), for a CI summary.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var options = new ProjectOptions();
        var output = new Option<string?>("--output", "-o") { Description = "Write the Markdown to this file instead of the standard output." };
        var command = new Command("report", "Summarise the project's compressed models (items × devices) from the cache as a Markdown table.");
        options.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse => Run(options.Read(parse), parse.GetValue(output), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(ProjectSelection selection, string? outputFile, TextWriter output, TextWriter error)
    {
        var plan = ProjectPlanner.Plan(selection, Directory.GetCurrentDirectory());
        var markdown = ProjectReport.ToMarkdown(plan);
        if (outputFile is null)
        {
            output.Write(markdown);
        }
        else
        {
            var path = Path.GetFullPath(outputFile);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, markdown);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AdaDeepException(ErrorCodes.OutputNotWritable, $"cannot write the report: {e.Message}", path, e);
            }

            output.WriteLine($"adadeep: wrote {path} ({plan.Models.Count(m => m.IsCached)} of {plan.Models.Count} model variants cached)");
        }

        return ProjectDiagnostics.Write(ProjectDiagnostics.Errors(plan), error);
    }
}
