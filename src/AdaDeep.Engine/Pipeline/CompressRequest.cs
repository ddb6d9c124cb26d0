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
            Inputs = item.Inputs,
            InputShapes = item.InputShapes,
            Optimizer = item.Optimizer,
            Seed = item.Seed,
            TimeBudgetSeconds = item.TimeBudgetSeconds,
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

    /// <summary>Safety cap on the final fine-tune's wall-clock time.</summary>
    public TimeSpan FineTuneBudget { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>DQN and random-search episodes; null: <see cref="DefaultEpisodes"/>.</summary>
    public int? Episodes { get; init; }

    public const int DefaultEpisodes = 60;

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

    /// <summary>Training samples of each candidate's quick fine-tune during the search.</summary>
    public int SearchFineTuneSamples { get; init; } = 512;
}
