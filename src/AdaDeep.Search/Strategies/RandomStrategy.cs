using AdaDeep.Search.Core;

namespace AdaDeep.Search.Strategies;

/// <summary>
/// Random search: each episode draws, decision point by decision point, a legal action uniformly with a
/// System.Random seeded by <see cref="SearchOptions.Seed"/>; keeps the best configuration seen.
/// </summary>
public sealed class RandomStrategy : ISearchStrategy
{
    public string Id => "random";

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var log = new CandidateLog(Id, env, o);
        var rng = new Random(o.Seed);
        for (var episode = 1; episode <= o.Episodes && !log.TimeIsUp(); episode++)
        {
            ct.ThrowIfCancellationRequested();
            var configuration = new List<int>(env.DecisionPoints.Count);
            for (var position = 0; position < env.DecisionPoints.Count; position++)
            {
                var legal = env.LegalActions(configuration);
                configuration.Add(legal[rng.Next(legal.Count)]);
            }

            var metrics = env.Evaluate(configuration);
            log.RecordEpisode(configuration, metrics);
            log.Report(p, episode, o.Episodes, env.Reward.Compute(metrics).Total);
        }

        return log.ToResult();
    }
}
