using System.Globalization;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// The `adadeep compress` settings of the Deep-Compression-class runs (issue 12 item 2): a storage budget that binds
/// (the original file over <see cref="TargetRatio"/>), per-layer pruning levels for the search to choose from, shared
/// weights (5-bit fc / 8-bit conv codebooks, the paper's), an accuracy floor 0.1 pt below the original on held-out
/// validation images (the part of MNIST train the original did not learn), and a final retraining on the original's
/// 54,000 training images that prunes iteratively: half its epochs raise each layer's sparsity in rounds, half retrain
/// at it (the rounds shrink to the epochs its time cap allows); its time cap keeps the cold compress under 10 minutes on
/// 2 cores. The retraining learns from the labels alone (distillation weight 0), as Deep Compression's does: with the
/// default 0.7 the PyTorch-trained LeNet-5 of `peers` partly imitated its original's mistakes: 98.89 % on t10k, 99.09 % with 0
/// (one run each, 2026-12-04).
/// The storage budget is in the engine's MB (2^20 bytes), as every `--storage-budget-mb`.
/// </summary>
public sealed record DeepCompressionSettings
{
    public static DeepCompressionSettings Default { get; } = new();

    public string Device { get; init; } = "sony-sw3";

    public double TargetRatio { get; init; } = 42;

    public string Techniques { get; init; } = "W3@80,W3@90,W3@95,W3@97,W3@98";

    public string SharedWeights { get; init; } = "5,8";

    public double MaxAccuracyDrop { get; init; } = 0.001;

    /// <summary>Training images the final fine-tune retrains on (all 54,000 the original learnt).</summary>
    public int TrainSamples { get; init; } = 54_000;

    public int FineTuneEpochs { get; init; } = 24;

    /// <summary>Iterative pruning rounds of the final fine-tune (null: the engine's default, half the epochs).</summary>
    public int? PruneSteps { get; init; }

    public int FineTuneBudgetSeconds { get; init; } = 420;

    /// <summary>α of the final fine-tune's loss (0: cross-entropy with the labels only).</summary>
    public double DistillationWeight { get; init; }

    public int Episodes { get; init; } = 30;

    public int TimeBudgetSeconds { get; init; } = 120;

    /// <summary>Each search candidate's quick fine-tune sees this many images, so that the search judges 97 % pruning by what retraining recovers.</summary>
    public int SearchFineTuneSamples { get; init; } = 4096;

    /// <param name="validationFolder">The held-out part of MNIST train (<see cref="Models.MnistTrainSplit"/>), or null.</param>
    /// <param name="testFolder">MNIST with its t10k part, for the report's test accuracy (nothing learns from it), or null.</param>
    public IReadOnlyList<string> Arguments(long originalBytes, string? validationFolder = null, string? testFolder = null) => new[]
    {
        "--device", Device,
        "--storage-budget-mb", (originalBytes / TargetRatio / 1024 / 1024).ToString("0.########", CultureInfo.InvariantCulture),
        "--train-samples", TrainSamples.ToString(CultureInfo.InvariantCulture),
        "--techniques", Techniques,
        "--shared-weights", SharedWeights,
        "--max-accuracy-drop", MaxAccuracyDrop.ToString(CultureInfo.InvariantCulture),
        "--fine-tune-epochs", FineTuneEpochs.ToString(CultureInfo.InvariantCulture),
        "--prune-steps", (PruneSteps ?? Math.Max(1, FineTuneEpochs / 2)).ToString(CultureInfo.InvariantCulture),
        "--fine-tune-budget", FineTuneBudgetSeconds.ToString(CultureInfo.InvariantCulture),
        "--distillation-weight", DistillationWeight.ToString(CultureInfo.InvariantCulture),
        "--episodes", Episodes.ToString(CultureInfo.InvariantCulture),
        "--time-budget", TimeBudgetSeconds.ToString(CultureInfo.InvariantCulture),
        "--search-fine-tune-samples", SearchFineTuneSamples.ToString(CultureInfo.InvariantCulture),
        "--seed", "1",
    }.Concat(validationFolder is null ? Array.Empty<string>() : new[] { "--validation-dataset", validationFolder })
     .Concat(testFolder is null ? Array.Empty<string>() : new[] { "--test-dataset", testFolder }).ToArray();

    public string Describe(long originalBytes, string? validationFolder = null, string? testFolder = null) =>
        "adadeep compress " + string.Join(" ", Arguments(originalBytes, validationFolder, testFolder));
}
