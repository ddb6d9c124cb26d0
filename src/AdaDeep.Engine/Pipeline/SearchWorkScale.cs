using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Scales each candidate's measurement to the model so a large model gets a real search within the time cap: the
/// samples a candidate's accuracy is measured on, and those of its quick fine-tune, are bounded by the work they
/// cost (samples × the original's MACs), never below a floor that still tells candidates apart. Small models keep
/// the request's counts. The final model is still measured and gated on the whole held-out set.
/// </summary>
public sealed record SearchWorkScale(int ValidationSamples, int FineTuneSamples, bool Scaled)
{
    /// <summary>Inference work one candidate's accuracy measurement may cost (about 1 s of one core).</summary>
    public const double MeasureMacs = 2e9;

    /// <summary>Forward work one candidate's quick fine-tune may cost (a training step costs about three forwards).</summary>
    public const double FineTuneMacs = 4e9;

    public const int MinValidationSamples = 16;

    public const int MinFineTuneSamples = 64;

    /// <summary>The search is called short when the time cap ended it before this share of its episodes ran.</summary>
    public const double MinEpisodeShare = 0.25;

    public static SearchWorkScale For(CompressRequest request, long originalMacs)
    {
        var macs = Math.Max(1, originalMacs);
        var validation = Bound(request.SearchValidationSamples, MeasureMacs / macs, MinValidationSamples);
        var fineTune = Bound(request.SearchFineTuneSamples, FineTuneMacs / macs, MinFineTuneSamples);
        return new SearchWorkScale(validation, fineTune, validation < request.SearchValidationSamples || fineTune < request.SearchFineTuneSamples);
    }

    /// <summary>
    /// ADA4301 when the time cap ended the search after fewer than <see cref="MinEpisodeShare"/> of its episodes: an
    /// error under --fail-if-budgets-not-met (AdaDeepFailOnBudgetMiss), else a warning with its own code that a
    /// build can make an error. Null when the search ran long enough.
    /// </summary>
    public static string? CheckCoverage(CompressRequest request, int episodesRun, int episodesRequested, bool stoppedByTime, string file)
    {
        if (!stoppedByTime || episodesRun >= Math.Ceiling(episodesRequested * MinEpisodeShare))
        {
            return null;
        }

        var message = $"the search time budget ({request.EffectiveTimeBudget.TotalSeconds:0} s) ended the search after {episodesRun} of {episodesRequested} episodes, too few for the search to mean much; raise --time-budget (item metadata TimeBudgetSeconds) or lower --episodes";
        if (request.FailIfBudgetsNotMet)
        {
            throw new AdaDeepException(ErrorCodes.SearchTooShort, message, request.ModelPath);
        }

        return $"{file}: warning {ErrorCodes.SearchTooShort}: {message}";
    }

    private static int Bound(int requested, double byWork, int floor) =>
        Math.Min(requested, Math.Max(floor, (int)Math.Min(int.MaxValue, byWork)));
}
