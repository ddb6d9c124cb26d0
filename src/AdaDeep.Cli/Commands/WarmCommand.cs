using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AdaDeep.Cli.Output;
using AdaDeep.Cli.Project;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// `adadeep warm [--devices a;b;c] [--configuration C] [--project P]`: compresses every AdaDeepModel item of the
/// project for each device into the shared cache, under the keys the build task computes, so that the per-device
/// builds that follow (e.g. parallel CI jobs) are cache hits that start no engine. docs/project.md.
/// </summary>
public static class WarmCommand
{
    public static Command Create()
    {
        var options = new ProjectOptions();
        var progress = new Option<string>("--progress")
        {
            Description = "auto (bars on a terminal, lines otherwise), bar, lines or none.",
            DefaultValueFactory = _ => "auto",
        };
        progress.AcceptOnlyFromAmong("auto", "bar", "lines", "none");
        var command = new Command("warm", "Compress every model of the project for each device into the cache, so builds of the device variants only hit the cache.");
        options.AddTo(command);
        command.Options.Add(progress);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(options.Read(parse), parse.GetValue(progress)!, new PipelineCompressor(),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation)));
        return command;
    }

    public static int Run(ProjectSelection selection, string progress, IModelCompressor compressor, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var plan = ProjectPlanner.Plan(selection, Directory.GetCurrentDirectory());
        var invalid = ProjectDiagnostics.Errors(plan);
        if (invalid.Count > 0)
        {
            return ProjectDiagnostics.Write(invalid, error);
        }

        if (plan.Models.Count == 0)
        {
            output.WriteLine($"adadeep: {Path.GetFileName(plan.ProjectPath)} declares no AdaDeepModel items; nothing to warm.");
            return 0;
        }

        var foreign = plan.Models.FirstOrDefault(m => m.EngineIdentity != plan.ToolEngineIdentity);
        if (foreign is not null)
        {
            throw new AdaDeepException(ErrorCodes.ProjectEngineMismatch,
                $"the build runs the tool at '{foreign.Project.Property("AdaDeepToolPath")}' (AdaDeepToolPath), whose engine differs from this tool's; "
                + "entries warmed here would never be hit. Run `warm` with that tool, or build with this one", plan.ProjectPath);
        }

        var jobs = WarmRunner.Jobs(plan);
        var runner = new WarmRunner(compressor);
        IReadOnlyList<WarmOutcome> outcomes;
        try
        {
            var mode = progress == "auto" ? (Terminal.IsInteractive(output) ? "bar" : "lines") : progress;
            outcomes = mode switch
            {
                "bar" => SpectreWarmDisplay.Run(output, jobs, observer => runner.Run(jobs, observer, cancellation)),
                "lines" => runner.Run(jobs, new LineWarmObserver(output), cancellation),
                _ => runner.Run(jobs, new SilentObserver(), cancellation),
            };
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("adadeep: warm cancelled; entries published so far stay in the cache");
            return 130;
        }

        foreach (var warning in outcomes.SelectMany(o => o.Warnings ?? Array.Empty<string>()).Distinct())
        {
            error.WriteLine(warning);
        }

        var failed = outcomes.Where(o => o.Kind == WarmOutcomeKind.Failed).ToList();
        foreach (var failure in failed)
        {
            error.WriteLine(failure.Error!.ToMSBuildString());
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"adadeep: warm {Path.GetFileName(plan.ProjectPath)}: {plan.Models.Count} model variant(s), {jobs.Count} cache key(s): "
            + $"{outcomes.Count(o => o.Kind == WarmOutcomeKind.Compressed)} compressed, {outcomes.Count(o => o.Kind == WarmOutcomeKind.AlreadyCached)} already cached, "
            + $"{failed.Count} failed ({clock.Elapsed.TotalSeconds:0.0} s)"));
        return failed.Count == 0 ? 0 : failed[0].Error!.ExitCode;
    }

    private sealed class SilentObserver : IWarmObserver
    {
        public void Started(WarmJob job)
        {
        }

        public void Progress(WarmJob job, double percent, string message)
        {
        }

        public void Finished(WarmOutcome outcome)
        {
        }
    }
}
