using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The outcome of one compression run, as written to <c>--result-json</c> and into the cache entry's result.json
/// (docs/build.md holds the contract). Figures are those of the model that was written (after fine-tuning and
/// packing). In AdaDeep.Contracts: the engine writes it, the build task and the CLI read it, all through
/// <see cref="ToJson"/> and <see cref="FromJson"/> (camelCase members, unknown ones ignored), so a figure added here
/// reaches every reader.
/// </summary>
public sealed record CompressResult
{
    public string Model { get; init; } = "";

    /// <summary>SHA-256 of the written model: what makes a document a result (the task checks it against the file).</summary>
    [DocumentRequired]
    public string OutputSha256 { get; init; } = "";

    public long SizeBytes { get; init; }

    public long OriginalSizeBytes { get; init; }

    public long Macs { get; init; }

    public long OriginalMacs { get; init; }

    public double LatencyMs { get; init; }

    public double OriginalLatencyMs { get; init; }

    /// <summary>The cost model's estimate on the device (kernel table where the profile has one, else the roofline) (LatencyMs is the measurement when the device measures).</summary>
    public double EstimatedLatencyMs { get; init; }

    public double? MeasuredLatencyMs { get; init; }

    public double? LatencyBudgetMs { get; init; }

    public double StorageMB { get; init; }

    public double OriginalStorageMB { get; init; }

    public double? StorageBudgetMB { get; init; }

    public double EnergyMJ { get; init; }

    public double OriginalEnergyMJ { get; init; }

    public double? EnergyBudgetMJ { get; init; }

    public double Accuracy { get; init; }

    public double OriginalAccuracy { get; init; }

    public double? MinAccuracy { get; init; }

    /// <summary>True when the data had no labels: accuracy is top-1 agreement with the original model.</summary>
    public bool AccuracyIsAgreement { get; init; }

    public int AccuracySamples { get; init; }

    /// <summary>The input shapes costs, latency and validation were measured at, and where each came from, e.g.
    /// "x [N=1,3,48,192] (--input-shape)"; null in results written before this field.</summary>
    public string? InputShapes { get; init; }

    /// <summary>Absent from a document means met: a producer that does not say otherwise met its budgets.</summary>
    public bool BudgetsMet { get; init; } = true;

    /// <summary>Each budget set, e.g. "latencyMs 4.2 ≤ 10 (met)", or missed by how much.</summary>
    public IReadOnlyList<string> Budgets { get; init; } = new string[0];

    /// <summary>The techniques chosen, e.g. "C2+W3", or "none".</summary>
    public string Techniques { get; init; } = "";

    /// <summary>Per layer: "node=technique".</summary>
    public IReadOnlyList<string> LayerChoices { get; init; } = new string[0];

    public string Device { get; init; } = "";

    public string Optimizer { get; init; } = "";

    public int Seed { get; init; }

    public bool CacheHit { get; init; }

    public string? CacheKey { get; init; }

    public double SearchSeconds { get; init; }

    public int CandidatesSeen { get; init; }

    public double FineTuneSeconds { get; init; }

    /// <summary>The run's warnings, each as the tool prints it: <c>file: warning CODE: message</c>
    /// (<see cref="AdaDeep.Onnx.Diagnostics.ToolDiagnostic.ParseWarning"/> splits them).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = new string[0];

    public string ToJson() => ContractJson.Write(this);

    /// <exception cref="FormatException">The text is not a result document.</exception>
    public static CompressResult FromJson(string json) => ContractJson.Read<CompressResult>(json);
}
