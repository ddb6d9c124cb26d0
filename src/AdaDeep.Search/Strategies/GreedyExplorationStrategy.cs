using AdaDeep.Search.Core;

namespace AdaDeep.Search.Strategies;

/// <summary>
/// The baseline a search must beat to earn its name (issue 24): the greedy sweep, then random exploration around the
/// best configuration found so far — each episode keeps the incumbent's action at every decision point except, with
/// probability 2/(decision points), a uniformly drawn legal one — until <see cref="SearchOptions.MaxMeasurements"/>
/// configurations are measured (the DQN's own count, for a fair comparison) or, without that budget,
/// <see cref="SearchOptions.Episodes"/> episodes measured something new; or the time cap. Seeded by <see cref="SearchOptions.Seed"/>.
/// </summary>
public sealed class GreedyExplorationStrategy : ISearchStrategy
{
    public const string StrategyId = "greedy-explore";

    /// <summary>Episodes in a row that measure nothing new before the neighbourhood counts as explored.</summary>
    public const int MaxRepeatsInARow = 200;

    public string Id => StrategyId;

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var log = new CandidateLog(Id, env, o);
        // Distinct configurations measured (the environment caches repeats, which cost nothing).
        var measured = new HashSet<string>(StringComparer.Ordinal);
        void Count(IReadOnlyList<int> configuration)
        {
            if (SearchActions.Canonical(configuration) is { Length: > 0 } canonical)
            {
                measured.Add(SearchActions.Key(canonical));
            }
        }

        var prefix = GreedyStrategy.Sweep(env, log, p, ct, Count);
        log.RecordEpisode(prefix, env.Evaluate(prefix));
        Count(prefix);

        var count = env.DecisionPoints.Count;
        var perturb = Math.Min(1.0, 2.0 / Math.Max(1, count));
        var rng = new Random(o.Seed);
        var newEpisodes = 0;
        var repeats = 0;
        // With a measurement budget, that budget alone bounds it (an episode measures one to several configurations).
        while ((o.MaxMeasurements is not null || newEpisodes < o.Episodes) && repeats < MaxRepeatsInARow && !log.TimeIsUp() && !Spent(o, measured.Count))
        {
            ct.ThrowIfCancellationRequested();
            var incumbent = log.BestConfiguration;
            var configuration = new List<int>(count);
            for (var position = 0; position < count; position++)
            {
                var legal = env.LegalActions(configuration);
                var kept = position < incumbent.Count ? incumbent[position] : SearchActions.NoneIndex;
                configuration.Add(rng.NextDouble() < perturb || !legal.Contains(kept) ? legal[rng.Next(legal.Count)] : kept);
            }

            var before = measured.Count;
            var metrics = env.Evaluate(configuration);
            Count(configuration);
            if (measured.Count > before)
            {
                newEpisodes++;
                repeats = 0;
                log.RecordEpisode(configuration, metrics);
                log.Report(p, newEpisodes, o.Episodes, env.Reward.Compute(metrics).Total);
            }
            else
            {
                repeats++;
            }
        }

        return log.ToResult();
    }

    private static bool Spent(SearchOptions o, int measured) => o.MaxMeasurements is { } max && measured >= max;
}
