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

    /// <summary>Latency of the written model in ONNX Runtime on the machine that compressed it (the speed gate's figure).</summary>
    public double HostOrtLatencyMs { get; init; }

    public double OriginalHostOrtLatencyMs { get; init; }

    /// <summary>passed, dropped-deferred, shipped-original (host targets), or not-checked (other devices) (<see cref="SpeedGateVerdicts"/>).</summary>
    public string SpeedGate { get; init; } = SpeedGateVerdicts.NotChecked;

    /// <summary>S_p: the weights' storage in MiB as the cost model counts it.</summary>
    public double StorageMB { get; init; }

    /// <summary>The bytes of the file that ships, in MiB: what the storage budget is judged on.</summary>
    public double FileStorageMB { get; init; }

    public double OriginalStorageMB { get; init; }

    public double? StorageBudgetMB { get; init; }

    public double EnergyMJ { get; init; }

    public double OriginalEnergyMJ { get; init; }

    public double? EnergyBudgetMJ { get; init; }

    /// <summary>Accuracy of the written model on <see cref="AccuracySplit"/> (the test split: never searched or trained on).</summary>
    public double Accuracy { get; init; }

    /// <summary>Accuracy of the original model on the same split as <see cref="Accuracy"/>.</summary>
    public double OriginalAccuracy { get; init; }

    /// <summary>The split <see cref="Accuracy"/> and <see cref="OriginalAccuracy"/> are measured on: "test".</summary>
    public string AccuracySplit { get; init; } = DataSplit.Names.Test;

    /// <summary>Accuracy of the written model on the validation split, the figure the accuracy budget is checked against.</summary>
    public double ValidationAccuracy { get; init; }

    public double OriginalValidationAccuracy { get; init; }

    /// <summary>Every split of the run's data: name, source, size and use (docs/build.md).</summary>
    public IReadOnlyList<DataSplit> Splits { get; init; } = new DataSplit[0];

    public double? MinAccuracy { get; init; }

    /// <summary>True when the data had no labels: accuracy is top-1 agreement with the original model.</summary>
    public bool AccuracyIsAgreement { get; init; }

    /// <summary>What the summaries headline for accuracy: "accuracy" (labels), "agreement" (top-1 agreement, class
    /// scores), "cosine" (dense outputs: cosine similarity to the original) or "not measured" (the figure would mean
    /// nothing, ADA3604); null in results written before this field.</summary>
    public string? AccuracyMeasure { get; init; }

    /// <summary>The headline itself, e.g. "agreement 100.00 % → 98.20 %" or "accuracy not measured (ADA3604: …)"; null in
    /// results written before this field (summaries then fall back to <see cref="Accuracy"/>).</summary>
    public string? AccuracyHeadline { get; init; }

    /// <summary>Samples of <see cref="AccuracySplit"/>.</summary>
    public int AccuracySamples { get; init; }

    /// <summary>The input shapes costs, latency and validation were measured at, and where each came from, e.g.
    /// "x [N=1,3,48,192] (--input-shape)"; null in results written before this field.</summary>
    public string? InputShapes { get; init; }

    /// <summary>Absent from a document means met: a producer that does not say otherwise met its budgets.</summary>
    public bool BudgetsMet { get; init; } = true;

    /// <summary>The validation gate's headline: what was compared (how many held-out inputs, real or synthetic, at which shape), every output's figures and the verdict.</summary>
    public string? ValidationHeadline { get; init; }

    /// <summary>False when the gate's check says nothing (the original predicts one class on every input, or its outputs are constant).</summary>
    public bool ValidationMeaningful { get; init; } = true;

    /// <summary>True when the gate compared real inputs (the data set or the model's test_data_set), false for synthetic ones.</summary>
    public bool ValidationRealData { get; init; }

    public int ValidationSamples { get; init; }

    /// <summary>Per output: top-1 agreement (class scores), cosine similarity, max and mean |Δ|, and what it was judged by.</summary>
    public IReadOnlyList<string> ValidationOutputs { get; init; } = new string[0];

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

    /// <summary>Distinct configurations the search measured (each rewritten, quick fine-tuned and measured): the
    /// search's real cost, which baselines are given in equal measure.</summary>
    public int MeasuredConfigurations { get; init; }

    /// <summary>Samples every candidate's accuracy was measured on (paired with the original).</summary>
    public int SearchAccuracySamples { get; init; }

    /// <summary>Candidates whose accuracy was so close to the floor that they were measured on more samples, and the
    /// most samples one got.</summary>
    public int SearchCloseCalls { get; init; }

    public int SearchMaxAccuracySamples { get; init; }

    public double FineTuneSeconds { get; init; }

    /// <summary>The run's warnings, each as the tool prints it: <c>file: warning CODE: message</c>
    /// (<see cref="AdaDeep.Onnx.Diagnostics.ToolDiagnostic.ParseWarning"/> splits them).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = new string[0];

    public string ToJson() => ContractJson.Write(this);

    /// <exception cref="FormatException">The text is not a result document.</exception>
    public static CompressResult FromJson(string json) => ContractJson.Read<CompressResult>(json);
}
