using AdaDeep.Search.Core;

namespace AdaDeep.Search.Strategies;

/// <summary>
/// Paper 5.3.1 greedy optimizer: layer by layer, try every legal action and keep the one whose configuration has
/// the largest immediate reward (R1 + R2 of the configuration after the choice; ties go to the lower action index,
/// so "none" wins ties). It stops — leaving the remaining layers uncompressed — when the best choice would break a
/// latency or storage budget that the configuration so far met ("when T or S violate the budget, the optimization
/// terminates"). Deterministic; ignores the episode count and the seed.
/// </summary>
public sealed class GreedyStrategy : ISearchStrategy
{
    public string Id => "greedy";

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var log = new CandidateLog(Id, env, o);
        var prefix = Sweep(env, log, p, ct);
        log.RecordEpisode(prefix, env.Evaluate(prefix));
        return log.ToResult();
    }

    /// <summary>The layer-by-layer sweep (every candidate recorded in <paramref name="log"/> and passed to
    /// <paramref name="evaluated"/>); returns the chosen prefix.</summary>
    internal static List<int> Sweep(ISearchEnvironment env, CandidateLog log, IProgress<SearchProgress>? p, CancellationToken ct,
        Action<IReadOnlyList<int>>? evaluated = null)
    {
        var prefix = new List<int>();
        var current = env.OriginalMetrics;
        var evaluations = 0;
        for (var position = 0; position < env.DecisionPoints.Count && !log.TimeIsUp(); position++)
        {
            ct.ThrowIfCancellationRequested();
            var bestAction = SearchActions.NoneIndex;
            ConfigurationMetrics? bestMetrics = null;
            var bestReward = double.NegativeInfinity;
            foreach (var action in env.LegalActions(prefix))
            {
                var trial = new List<int>(prefix) { action };
                var metrics = env.Evaluate(trial);
                evaluated?.Invoke(trial);
                log.Record(trial, metrics, ++evaluations);
                var reward = env.Reward.Compute(metrics).Total;
                if (reward > bestReward)
                {
                    (bestAction, bestMetrics, bestReward) = (action, metrics, reward);
                }

                // One sweep of a large layer can outlast the whole cap (each candidate a quick fine-tune): stop mid-sweep.
                if (log.TimeIsUp())
                {
                    break;
                }
            }

            if (bestMetrics is null)
            {
                break;
            }

            if (!env.Reward.IsOverConstraintBudget(current) && env.Reward.IsOverConstraintBudget(bestMetrics))
            {
                break;
            }

            prefix.Add(bestAction);
            current = bestMetrics;
            log.Report(p, position + 1, env.DecisionPoints.Count, bestReward);
        }

        return prefix;
    }
}
