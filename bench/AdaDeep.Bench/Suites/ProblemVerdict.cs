using System.Globalization;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// One optimizers-suite problem judged over its seeds: rewards as mean ± standard deviation, whether the DQN beats the
/// baseline by more than the seed spread (the mean difference above the larger of the two standard deviations), and
/// whether it ships the best model (on a majority of seeds, no other optimizer shipped a more accurate model meeting
/// every budget; a DQN model that misses a budget is never the best while another meets them all).
/// </summary>
public sealed class ProblemVerdict
{
    private readonly IReadOnlyDictionary<string, List<PipelineOutcome?>> _outcomes;

    private ProblemVerdict(IReadOnlyDictionary<string, List<PipelineOutcome?>> outcomes, string candidate, string baseline)
    {
        _outcomes = outcomes;
        Complete = outcomes.Values.All(runs => runs.Count > 0 && runs.All(r => r is not null));
        if (!Complete)
        {
            return;
        }

        var (mine, theirs) = (Rewards(candidate), Rewards(baseline));
        BeatsBeyondSpread = mine.Average() - theirs.Average() > Math.Max(StandardDeviation(mine), StandardDeviation(theirs));
        var seeds = outcomes[candidate].Count;
        var bestOnSeed = Enumerable.Range(0, seeds).Count(i => IsBestShipped(candidate, i));
        ShipsBest = bestOnSeed * 2 > seeds;
    }

    public static ProblemVerdict Of(IReadOnlyDictionary<string, List<PipelineOutcome?>> outcomes, string candidate, string baseline) =>
        new(outcomes, candidate, baseline);

    /// <summary>Every optimizer ran on every seed (a failed run leaves the problem out of the counts).</summary>
    public bool Complete { get; }

    public bool BeatsBeyondSpread { get; }

    public bool ShipsBest { get; }

    public double[] Rewards(string optimizer) => _outcomes[optimizer].Where(o => o is not null).Select(o => o!.BestReward).ToArray();

    public double MeanWall(string optimizer) => _outcomes[optimizer].Where(o => o is not null).Select(o => o!.WallSeconds).DefaultIfEmpty(double.NaN).Average();

    public double WallRatio(string baseline) => MeanWall("dqn") / MeanWall(baseline);

    /// <summary>"1.234 ± 0.010 (3 seeds)".</summary>
    public string Describe(string optimizer)
    {
        var rewards = Rewards(optimizer);
        return rewards.Length == 0 ? "failed" : string.Format(CultureInfo.InvariantCulture, "{0:0.000} ± {1:0.000} ({2} seeds)", rewards.Average(), StandardDeviation(rewards), rewards.Length);
    }

    private bool IsBestShipped(string candidate, int seed)
    {
        var mine = _outcomes[candidate][seed]!.Result;
        foreach (var (optimizer, runs) in _outcomes)
        {
            var other = runs[seed]!.Result;
            if (optimizer == candidate || !other.BudgetsMet)
            {
                continue;
            }

            if (!mine.BudgetsMet || other.Accuracy > mine.Accuracy)
            {
                return false;
            }
        }

        return mine.BudgetsMet || _outcomes.Values.All(runs => !runs[seed]!.Result.BudgetsMet);
    }

    /// <summary>Sample standard deviation (0 for one value).</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
