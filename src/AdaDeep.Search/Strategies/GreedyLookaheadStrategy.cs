using AdaDeep.Search.Core;

namespace AdaDeep.Search.Strategies;

/// <summary>
/// Greedy with one-step lookahead (issue 24's baselines): layer by layer, each legal action is judged by the best
/// configuration reachable with it and one more choice at the next decision point (or by itself at the last), and the
/// best kept — so an action that pays off only together with the next layer's (an enabler) is not passed over as
/// plain greedy passes it. Measures about actions² configurations per layer. Deterministic; ignores episodes and
/// seed; stops early only on the time cap.
/// </summary>
public sealed class GreedyLookaheadStrategy : ISearchStrategy
{
    public const string StrategyId = "greedy-lookahead";

    public string Id => StrategyId;

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var log = new CandidateLog(Id, env, o);
        var prefix = new List<int>();
        var evaluations = 0;
        double Judge(List<int> configuration)
        {
            var metrics = env.Evaluate(configuration);
            log.Record(configuration, metrics, ++evaluations);
            return env.Reward.Compute(metrics).Total;
        }

        var count = env.DecisionPoints.Count;
        for (var position = 0; position < count && !log.TimeIsUp(); position++)
        {
            ct.ThrowIfCancellationRequested();
            var bestAction = SearchActions.NoneIndex;
            var bestValue = double.NegativeInfinity;
            foreach (var action in env.LegalActions(prefix))
            {
                var trial = new List<int>(prefix) { action };
                var value = Judge(trial);
                if (position + 1 < count)
                {
                    foreach (var next in env.LegalActions(trial))
                    {
                        value = Math.Max(value, Judge(new List<int>(trial) { next }));
                        if (log.TimeIsUp())
                        {
                            break;
                        }
                    }
                }

                if (value > bestValue)
                {
                    (bestAction, bestValue) = (action, value);
                }

                if (log.TimeIsUp())
                {
                    break;
                }
            }

            prefix.Add(bestAction);
            log.Report(p, position + 1, count, bestValue);
        }

        log.RecordEpisode(prefix, env.Evaluate(prefix));
        return log.ToResult();
    }
}
