using AdaDeep.Cli.Output;
using Spectre.Console;

namespace AdaDeep.Cli.Project;

/// <summary>Warm progress on a terminal: one Spectre.Console progress bar per job, all shown from the start.</summary>
public static class SpectreWarmDisplay
{
    public static T Run<T>(TextWriter output, IReadOnlyList<WarmJob> jobs, Func<IWarmObserver, T> work)
    {
        T result = default!;
        Terminal.AnsiConsoleFor(output).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var tasks = jobs.ToDictionary(j => j, j => context.AddTask(Markup.Escape(j.Label), autoStart: false, maxValue: 100));
                result = work(new Observer(tasks));
            });
        return result;
    }

    private sealed class Observer(Dictionary<WarmJob, ProgressTask> tasks) : IWarmObserver
    {
        public void Started(WarmJob job) => tasks[job].StartTask();

        public void Progress(WarmJob job, double percent, string message)
        {
            var task = tasks[job];
            task.Value = Math.Max(task.Value, percent);
            task.Description = Markup.Escape($"{job.Label}: {Truncate(message, 50)}");
        }

        public void Finished(WarmOutcome outcome)
        {
            var task = tasks[outcome.Job];
            var color = outcome.Kind == WarmOutcomeKind.Failed ? "red" : "green";
            task.Description = $"{Markup.Escape(outcome.Job.Label)}: [{color}]{Markup.Escape(LineWarmObserver.Describe(outcome))}[/]";
            task.Value = 100;
            task.StopTask();
        }

        private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}
