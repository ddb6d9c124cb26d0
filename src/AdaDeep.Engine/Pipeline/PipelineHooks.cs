using AdaDeep.Compression.Data;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// What tests may plug into a run: an observer of every data set the pipeline hands to the search and to
/// fine-tuning (so a test can prove by sample identity that no test sample is among them), and the latency meter
/// of the speed gate (so a test can inject figures instead of timing).
/// </summary>
internal sealed record PipelineHooks
{
    public const string SearchConsumer = "search";
    public const string FineTuneConsumer = "fine-tune";

    public static readonly PipelineHooks None = new();

    /// <summary>Called with (consumer, data) for each data set given to a consumer that learns from or selects on it.</summary>
    public Action<string, Dataset>? DataObserver { get; init; }

    /// <summary>The speed gate's meter; null: ONNX Runtime on this host.</summary>
    public ILatencyMeter? LatencyMeter { get; init; }

    public void Observe(string consumer, Dataset data) => DataObserver?.Invoke(consumer, data);
}
