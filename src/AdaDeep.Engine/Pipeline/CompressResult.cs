using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The outcome of one compression run, as written to <c>--result-json</c> for the MSBuild task (docs/build.md
/// holds the contract). Figures are those of the model that was written (after fine-tuning and packing).
/// </summary>
public sealed record CompressResult
{
    public required string Model { get; init; }

    public required string OutputSha256 { get; init; }

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

    /// <summary>S_p: the weights' storage in MiB as the cost model counts it.</summary>
    public double StorageMB { get; init; }

    /// <summary>The bytes of the file that ships, in MiB: what the storage budget is judged on.</summary>
    public double FileStorageMB { get; init; }

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

    public bool BudgetsMet { get; init; }

    /// <summary>What the validation gate compared (samples, shape, every output) and its verdict.</summary>
    public ValidationReport? Validation { get; init; }

    /// <summary>Each budget set, e.g. "latencyMs 4.2 ≤ 10 (met)", or missed by how much.</summary>
    public IReadOnlyList<string> Budgets { get; init; } = Array.Empty<string>();

    /// <summary>The techniques chosen, e.g. "C2+W3", or "none".</summary>
    public required string Techniques { get; init; }

    /// <summary>Per layer: "node=technique".</summary>
    public IReadOnlyList<string> LayerChoices { get; init; } = Array.Empty<string>();

    public required string Device { get; init; }

    public required string Optimizer { get; init; }

    public int Seed { get; init; }

    public bool CacheHit { get; init; }

    public string? CacheKey { get; init; }

    public double SearchSeconds { get; init; }

    public int CandidatesSeen { get; init; }

    public double FineTuneSeconds { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static CompressResult FromJson(string json) =>
        JsonSerializer.Deserialize<CompressResult>(json, JsonOptions) ?? throw new JsonException("empty result JSON");
}
