using System.Globalization;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// The `adadeep compress` settings of the Deep-Compression-class runs (issue 12 item 2): a storage budget that binds
/// (the original file over <see cref="TargetRatio"/>), per-layer pruning levels for the search to choose from, shared
/// weights (5-bit fc / 8-bit conv codebooks, the paper's), an accuracy floor 0.1 pt below the original on held-out
/// training images, and a long enough final retraining on the training split.
/// </summary>
public sealed record DeepCompressionSettings
{
    public static DeepCompressionSettings Default { get; } = new();

    public string Device { get; init; } = "sony-sw3";

    public double TargetRatio { get; init; } = 45;

    public string Techniques { get; init; } = "W3@80,W3@90,W3@95,W3@98";

    public string SharedWeights { get; init; } = "5,8";

    public double MaxAccuracyDrop { get; init; } = 0.001;

    public int FineTuneEpochs { get; init; } = 8;

    public int FineTuneBudgetSeconds { get; init; } = 420;

    public int Episodes { get; init; } = 30;

    public int TimeBudgetSeconds { get; init; } = 120;

    public IReadOnlyList<string> Arguments(long originalBytes) => new[]
    {
        "--device", Device,
        "--storage-budget-mb", (originalBytes / TargetRatio / 1e6).ToString("0.######", CultureInfo.InvariantCulture),
        "--techniques", Techniques,
        "--shared-weights", SharedWeights,
        "--max-accuracy-drop", MaxAccuracyDrop.ToString(CultureInfo.InvariantCulture),
        "--fine-tune-epochs", FineTuneEpochs.ToString(CultureInfo.InvariantCulture),
        "--fine-tune-budget", FineTuneBudgetSeconds.ToString(CultureInfo.InvariantCulture),
        "--episodes", Episodes.ToString(CultureInfo.InvariantCulture),
        "--time-budget", TimeBudgetSeconds.ToString(CultureInfo.InvariantCulture),
        "--seed", "1",
    };

    public string Describe(long originalBytes) => "adadeep compress " + string.Join(" ", Arguments(originalBytes));
}
