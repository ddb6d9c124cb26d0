using System.Globalization;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Warm progress as plain lines, for CI logs and redirected output: one line when a job starts, one per stage of
/// the engine (search, fine-tune, ...), and one when it ends.
/// </summary>
public sealed class LineWarmObserver : IWarmObserver
{
    private readonly TextWriter _output;
    private string? _stage;

    public LineWarmObserver(TextWriter output)
    {
        _output = output;
    }

    public void Started(WarmJob job)
    {
        _stage = null;
        _output.WriteLine($"adadeep: [{job.Number}/{job.Count}] {job.Label}: key {job.Model.Key![..12]}…");
    }

    public void Progress(WarmJob job, double percent, string message)
    {
        var colon = message.IndexOf(':');
        var stage = colon > 0 ? message[..colon] : message;
        if (stage == _stage)
        {
            return;
        }

        _stage = stage;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"adadeep: [{job.Number}/{job.Count}] {job.Label}: {percent:0}% {message}"));
    }

    public void Finished(WarmOutcome outcome) =>
        _output.WriteLine($"adadeep: [{outcome.Job.Number}/{outcome.Job.Count}] {outcome.Job.Label}: {Describe(outcome)}");

    public static string Describe(WarmOutcome outcome) => outcome.Kind switch
    {
        WarmOutcomeKind.AlreadyCached => "already cached",
        WarmOutcomeKind.Compressed => string.Create(CultureInfo.InvariantCulture, $"compressed and cached in {outcome.Elapsed.TotalSeconds:0.0} s"),
        _ => $"failed ({outcome.Error?.Code})",
    };
}
