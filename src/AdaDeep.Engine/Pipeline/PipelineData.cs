using AdaDeep.Compression.Data;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The run's data, split so that nothing the result is reported on was searched or fine-tuned on: Search (a small
/// batch of Validation the search measures candidates on), Validation (held out from fine-tuning: accuracy floor,
/// fine-tune early stop, ONNX Runtime check), FineTune (training) and Test (only measured, for the reported accuracy).
/// </summary>
public sealed record PipelineData(Dataset Search, Dataset Validation, Dataset FineTune, Dataset Test, IReadOnlyList<DataSplit> Splits)
{
    /// <summary>True when the data was too small to hold samples out and every split is the same samples.</summary>
    public bool SplitsShareSamples { get; init; }
}
