using AdaDeep.Engine.Pipeline;
using Spectre.Console;

namespace AdaDeep.Cli.Commands;

/// <summary>
/// Shows pipeline progress: a Spectre.Console bar on an interactive terminal, or machine-readable lines
/// (`adadeep:progress &lt;percent&gt; &lt;message&gt;`) that the MSBuild task streams into the build log.
/// </summary>
public static class ProgressDisplay
{
    public enum Mode
    {
        Bar,
        Lines,
        None,
    }

    public static Mode Resolve(string option) => option switch
    {
        "bar" => Mode.Bar,
        "lines" => Mode.Lines,
        "none" => Mode.None,
        _ => Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is not null ? Mode.Lines : Mode.Bar,
    };

    public static T Run<T>(Mode mode, Func<IProgress<PipelineProgress>?, T> work)
    {
        switch (mode)
        {
            case Mode.None:
                return work(null);
            case Mode.Lines:
                return work(new SynchronousProgress(p =>
                    Console.Out.WriteLine(FormattableString.Invariant($"adadeep:progress {p.Percent:0} {p.Stage}: {p.Message}"))));
            default:
                T result = default!;
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("compress", maxValue: 100);
                        result = work(new SynchronousProgress(p =>
                        {
                            task.Description = Markup.Escape($"{p.Stage}: {Truncate(p.Message, 60)}");
                            task.Value = p.Percent;
                        }));
                        task.Value = 100;
                    });
                return result;
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the display must see events in order, on this thread.</summary>
    private sealed class SynchronousProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
