using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Pipeline;

/// <summary>Everything one compression run needs; immutable so it can be hashed, logged and replayed.</summary>
public sealed record CompressRequest
{
    /// <summary>Path of the ONNX model; null means the embedded default model (mnist-8).</summary>
    public string? ModelPath { get; init; }

    /// <summary>A catalog device id or the path of a user profile YAML file.</summary>
    public required string Device { get; init; }

    /// <summary>Extra user profile files that add to the catalog.</summary>
    public IReadOnlyList<string> ProfilePaths { get; init; } = Array.Empty<string>();

    public double? LatencyBudgetMs { get; init; }

    public double? StorageBudgetMB { get; init; }

    public double? EnergyBudgetMJ { get; init; }

    /// <summary>Absolute accuracy floor in (0, 1].</summary>
    public double? MinAccuracy { get; init; }

    /// <summary>Accuracy floor relative to the original model (e.g. 0.01 = one point); default 0.02 when neither is given.</summary>
    public double? MaxAccuracyDrop { get; init; }

    /// <summary>Labelled or unlabelled data (npz, IDX folder, test_data_set folders); null: the model's own test sets or synthetic inputs.</summary>
    public string? DatasetPath { get; init; }

    /// <summary>
    /// Data the reported accuracy is measured on and nothing else (never searched or fine-tuned on); null: the
    /// <c>t10k</c> part of a two-part MNIST IDX folder, else a seeded share of the data set held out first.
    /// </summary>
    public string? TestDatasetPath { get; init; }

    /// <summary>
    /// Data the search and the final checks (accuracy floor, validation gate) judge on, held out from fine-tuning;
    /// null: a seeded share of the data set. Give the split the original was validated on, so that neither model has
    /// seen it (a share of the training data flatters the original, which learnt it).
    /// </summary>
    public string? ValidationDatasetPath { get; init; }

    /// <summary>At most this many training samples (a seeded choice) are split into fine-tune and validation; null: <see cref="DefaultTrainSamples"/>.</summary>
    public int? TrainSamples { get; init; }

    public const int DefaultTrainSamples = 10_000;

    public int EffectiveTrainSamples => TrainSamples ?? DefaultTrainSamples;
    /// <summary>Constants for model inputs, "NAME=VALUE|FILE" each (--input; see InputValueSpec); they override the data's.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = Array.Empty<string>();

    /// <summary>Real input shapes, "NAME=1x3x48x192" each (--input-shape; see InputShapeSpec).</summary>
    public IReadOnlyList<string> InputShapes { get; init; } = Array.Empty<string>();

    // Options are kept as the user gave them (null = default) because the cache key hashes them that way,
    // exactly as the MSBuild task does; the Effective* properties apply the defaults.

    /// <summary>dqn, greedy, exhaustive, random or single:&lt;technique&gt;; null: dqn.</summary>
    public string? Optimizer { get; init; }

    public int? Seed { get; init; }

    /// <summary>Bound on the search in seconds; null: <see cref="DefaultTimeBudgetSeconds"/>.</summary>
    public double? TimeBudgetSeconds { get; init; }

    public const double DefaultTimeBudgetSeconds = 180;

    public const double DefaultMaxAccuracyDrop = 0.02;

    /// <summary>
    /// The request an AdaDeepModel item makes: its values as the build passes them to `adadeep compress` (as given,
    /// null = the engine's default, CLI-only settings at their defaults), so its cache key is the build task's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The item has problems (check <see cref="ModelItemSettings.IsValid"/>).</exception>
    public static CompressRequest ForItem(ModelItemSettings item, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.IsValid || item.DeviceArgument is null)
        {
            throw new InvalidOperationException($"the AdaDeepModel item '{item.ItemSpec}' is not valid: {string.Join("; ", item.Problems)}");
        }

        return new CompressRequest
        {
            ModelPath = item.ModelPath,
            Device = item.DeviceArgument,
            LatencyBudgetMs = item.LatencyBudgetMs,
            StorageBudgetMB = item.StorageBudgetMB,
            EnergyBudgetMJ = item.EnergyBudgetMJ,
            MinAccuracy = item.MinAccuracy,
            MaxAccuracyDrop = item.MaxAccuracyDrop,
            DatasetPath = item.DatasetPath,
            TestDatasetPath = item.TestDatasetPath,
            Inputs = item.Inputs,
            InputShapes = item.InputShapes,
            Optimizer = item.Optimizer,
            Seed = item.Seed,
            TimeBudgetSeconds = item.TimeBudgetSeconds,
            AllowLossy = item.AllowLossy,
            OutputPath = outputPath,
        };
    }

    /// <summary>The budgets as the search sees them (the accuracy floor is set once the original is measured).</summary>
    public AdaDeep.Search.Core.SearchBudgets ToSearchBudgets() => new()
    {
        LatencyMs = LatencyBudgetMs,
        StorageMB = StorageBudgetMB,
        EnergyMJ = EnergyBudgetMJ,
        MinAccuracy = MinAccuracy,
    };

    public string EffectiveOptimizer => string.IsNullOrWhiteSpace(Optimizer) ? ModelItemSettings.DefaultOptimizer : Optimizer.Trim();

    public int EffectiveSeed => Seed ?? ModelItemSettings.DefaultSeed;

    public TimeSpan EffectiveTimeBudget => TimeSpan.FromSeconds(TimeBudgetSeconds ?? DefaultTimeBudgetSeconds);

    /// <summary>
    /// Epochs of the final fine-tune. Work is bounded by epochs and episodes, not by the clock, so the same inputs and
    /// seed give the same bytes; the time budgets are safety caps, and a warning says when one cut the work short.
    /// </summary>
    public int FineTuneEpochs { get; init; } = DefaultFineTuneEpochs;

    public const int DefaultFineTuneEpochs = 3;

    /// <summary>
    /// Rounds in which the final fine-tune reaches the pruned layers' sparsity from their dense weights (iterative
    /// pruning, retraining between rounds); null: <see cref="EffectivePruneSteps"/>'s default, half the epochs.
    /// </summary>
    public int? PruneSteps { get; init; }

    /// <summary>Half the fine-tune epochs (at least 1, which prunes at once): the other half retrains at the final sparsity.</summary>
    public int EffectivePruneSteps => Math.Clamp(PruneSteps ?? FineTuneEpochs / 2, 1, Math.Max(1, FineTuneEpochs));

    /// <summary>How the final fine-tune's step size moves: constant (with early stopping) or cosine annealing over the
    /// epochs its time cap allows.</summary>
    public AdaDeep.Compression.FineTuning.LearningRateSchedule FineTuneSchedule { get; init; }

    /// <summary>
    /// α of the final fine-tune's loss, α·(distillation from the original) + (1 − α)·(cross-entropy with the labels):
    /// 0 retrains on the labels alone (Deep Compression's retraining), 1 imitates the original only; unlabelled data
    /// always distils. ADA3402 outside [0, 1].
    /// </summary>
    public double DistillationWeight { get; init; } = DefaultDistillationWeight;

    public const double DefaultDistillationWeight = 0.7;

    /// <summary>Safety cap on the final fine-tune's wall-clock time.</summary>
    public TimeSpan FineTuneBudget { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>DQN and random-search episodes; null: <see cref="DefaultEpisodes"/>.</summary>
    public int? Episodes { get; init; }

    public const int DefaultEpisodes = 60;

    /// <summary>Distinct configurations greedy-explore may measure (null: its episodes bound it). Benchmarks set it to
    /// the DQN's count of the same problem and seed, so both get the same measurement budget.</summary>
    public int? MaxMeasurements { get; init; }

    /// <summary>
    /// Let the search use lossy techniques (pruning, factorisation, QDQ, …) without real data (only synthetic inputs):
    /// off by default, because the gate cannot judge them on synthetic inputs; `--allow-lossy`, item metadata AllowLossy.
    /// </summary>
    public bool AllowLossy { get; init; }

    /// <summary>Top-1 agreement with the original that the validation gate requires; null: <see cref="ValidationGate.DefaultMinAgreement"/>.</summary>
    public double? MinAgreement { get; init; }

    /// <summary>Fail (exit 5) instead of returning the closest candidate when no configuration meets the budgets.</summary>
    public bool FailIfBudgetsNotMet { get; init; }

    public required string OutputPath { get; init; }

    public string? ReportPath { get; init; }

    public string? ResultJsonPath { get; init; }

    /// <summary>Cache root; null: ADADEEP_CACHE_DIR, else the user cache folder. Disabled when <see cref="UseCache"/> is false.</summary>
    public string? CacheDir { get; init; }

    public bool UseCache { get; init; } = true;

    /// <summary>How many validation samples the search measures accuracy on (the final model is measured on all).</summary>
    public int SearchValidationSamples { get; init; } = 256;

    /// <summary>W3's target sparsity (fraction of the layer's weights pruned, smallest magnitudes first).</summary>
    public float PruneSparsity { get; init; } = 0.8f;

    /// <summary>How far below the accuracy floor a candidate may be during the search (before its full fine-tune).</summary>
    public double SearchAccuracySlack { get; init; } = 0.05;

    /// <summary>Technique ids the search may choose, level variants such as "W3@95" included (null: every technique).</summary>
    public IReadOnlyList<string>? Techniques { get; init; }

    /// <summary>Deep Compression's shared weights after the rewrites (k-means codebooks; null: none).</summary>
    public AdaDeep.Compression.Techniques.WeightSharingOptions? WeightSharing { get; init; }

    /// <summary>"5" or "5,8": fc bits and conv bits (default 8) of the shared-weight codebooks; ADA3301 otherwise.</summary>
    public static AdaDeep.Compression.Techniques.WeightSharingOptions ParseWeightSharing(string text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        var bits = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts.Length > 2 || !int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out bits[i]) ||
                bits[i] is < 1 or > 8)
            {
                throw new AdaDeep.Onnx.Diagnostics.AdaDeepException(AdaDeep.Onnx.Diagnostics.ErrorCodes.SharedWeightsInvalid,
                    $"shared weights '{text}': give the fc codebook's bits and optionally the conv codebook's, each 1..8 (e.g. 5,8)");
            }
        }

        return new AdaDeep.Compression.Techniques.WeightSharingOptions(bits[0], parts.Length > 1 ? bits[1] : 8);
    }

    /// <summary>Training samples of each candidate's quick fine-tune during the search.</summary>
    public int SearchFineTuneSamples { get; init; } = DefaultSearchFineTuneSamples;

    public const int DefaultSearchFineTuneSamples = 512;
}
