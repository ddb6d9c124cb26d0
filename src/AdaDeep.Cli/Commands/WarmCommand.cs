using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AdaDeep.Cli.Output;
using AdaDeep.Cli.Project;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// `adadeep warm [--devices a;b;c] [--configuration C] [--project P] [--shard i/n] [--cache-url URL]`: compresses every
/// AdaDeepModel item of the project for each device into the cache (and the remote cache), under the keys the build
/// task computes, so that the per-device builds that follow (e.g. parallel CI jobs) are cache hits that start no
/// engine. --shard splits the jobs over a CI matrix. docs/project.md, docs/build.md.
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
        var shard = new Option<string?>("--shard")
        {
            Description = "Warm only shard i of n (1 <= i <= n) of the item × device jobs, e.g. 2/4: the jobs of a CI matrix of n warm "
                + "jobs are disjoint and cover every job once.",
        };
        shard.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0 && ParseShard(result.Tokens[^1].Value) is null)
            {
                result.AddError($"--shard '{result.Tokens[^1].Value}' is not i/n with 1 <= i <= n (e.g. 1/2)");
            }
        });
        var remote = new RemoteCacheCliOptions();
        var command = new Command("warm", "Compress every model of the project for each device into the cache, so builds of the device variants only hit the cache.");
        options.AddTo(command);
        command.Options.Add(progress);
        command.Options.Add(shard);
        remote.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(options.Read(parse), parse.GetValue(progress)!, new PipelineCompressor(),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellation,
            parse.GetValue(shard) is { } text ? ParseShard(text) : null, property => remote.Open(parse, property, parse.InvocationConfiguration.Error))));
        return command;
    }

    /// <summary>"i/n" with 1 &lt;= i &lt;= n, else null.</summary>
    public static (int Index, int Count)? ParseShard(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count
            ? (index, count)
            : null;
    }

    /// <param name="shard">Only this shard of the jobs (<see cref="WarmRunner.Shard"/>); null: all.</param>
    /// <param name="openRemote">Opens the remote cache from the project's properties (null: no remote cache).</param>
    public static int Run(ProjectSelection selection, string progress, IModelCompressor compressor, TextWriter output, TextWriter error, CancellationToken cancellation,
        (int Index, int Count)? shard = null, Func<Func<string, string?>, AdaDeep.Engine.Cache.RemoteCache?>? openRemote = null)
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

        var jobs = shard is { } s ? WarmRunner.Shard(plan, s.Index, s.Count) : WarmRunner.Jobs(plan);
        using var remote = openRemote?.Invoke(plan.Models[0].Project.Property);
        var runner = new WarmRunner(compressor, remote, warning => error.WriteLine(warning.ToString()));
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

        if (remote is not null)
        {
            output.WriteLine(RemoteCacheCliOptions.Summary(remote));
        }

        var shardText = shard is { } part ? $" (shard {part.Index}/{part.Count} of {plan.DistinctByKey().Count} key(s))" : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"adadeep: warm {Path.GetFileName(plan.ProjectPath)}: {plan.Models.Count} model variant(s), {jobs.Count} cache key(s){shardText}: "
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
