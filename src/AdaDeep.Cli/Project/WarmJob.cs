using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Project;

/// <summary>One cache key to fill: the first model variant that has it (variants with the same key share the job).</summary>
public sealed record WarmJob(int Number, int Count, ModelVariant Model)
{
    /// <summary>"models/net.onnx → sony-sw3".</summary>
    public string Label => $"{Model.Item.Include} → {Model.Device}";
}

public enum WarmOutcomeKind
{
    /// <summary>The key was cached before this run (or another process filled it while this one waited).</summary>
    AlreadyCached,
    Compressed,
    Failed,
}

/// <summary>How one job ended; <see cref="Error"/> is set when it failed.</summary>
public sealed record WarmOutcome(WarmJob Job, WarmOutcomeKind Kind, TimeSpan Elapsed, AdaDeepException? Error = null, IReadOnlyList<string>? Warnings = null);

/// <summary>Receives the progress of a warm run (a Spectre.Console display, or plain lines).</summary>
public interface IWarmObserver
{
    void Started(WarmJob job);

    void Progress(WarmJob job, double percent, string message);

    void Finished(WarmOutcome outcome);
}
