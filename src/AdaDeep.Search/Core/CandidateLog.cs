namespace AdaDeep.Search.Core;

/// <summary>
/// Records every configuration a strategy measures (once each, in first-seen order) and keeps the best.
/// Best: a configuration meeting every budget beats one that does not; among equals, the higher R1 + R2; among
/// equal rewards, the one seen first (so results never depend on dictionary order).
/// Also owns the time budget, so every strategy stops the same way.
/// </summary>
public sealed class CandidateLog
{
    private readonly ISearchEnvironment _env;
    private readonly SearchOptions _options;
    private readonly string _strategy;
    private readonly Dictionary<string, SearchCandidate> _seen = new(StringComparer.Ordinal);
    private readonly List<SearchCandidate> _candidates = new();
    private readonly List<double> _episodeRewards = new();
    private readonly long _start;
    private bool _originalCompetes;

    /// <param name="originalCompetes">
    /// Whether the original model (every layer "none") counts as a candidate for <see cref="Best"/> from the start:
    /// true for searches (compressing nothing beats compressing badly), false for a fixed configuration such as
    /// single:&lt;id&gt;, whose result must be that configuration.
    /// </param>
    public CandidateLog(string strategy, ISearchEnvironment env, SearchOptions options, bool originalCompetes = true)
    {
        _strategy = strategy;
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _start = options.Clock.GetTimestamp();
        Original = MakeCandidate(Array.Empty<int>(), env.OriginalMetrics, 0);
        Best = Original;
        _originalCompetes = originalCompetes;
    }

    public SearchCandidate Original { get; }

    public SearchCandidate Best { get; private set; }

    /// <summary>Canonical action indices of <see cref="Best"/>.</summary>
    public IReadOnlyList<int> BestConfiguration { get; private set; } = Array.Empty<int>();

    public IReadOnlyList<SearchCandidate> Candidates => _candidates;

    public IReadOnlyList<double> EpisodeRewards => _episodeRewards;

    public bool StoppedByTimeBudget { get; private set; }

    public TimeSpan Elapsed => _options.Clock.GetElapsedTime(_start);

    /// <summary>True (and remembered) once the time budget is spent.</summary>
    public bool TimeIsUp()
    {
        if (_options.TimeBudget is { } budget && Elapsed >= budget)
        {
            StoppedByTimeBudget = true;
        }

        return StoppedByTimeBudget;
    }

    /// <summary>Records a measured configuration; returns its candidate (the first record when seen before).</summary>
    public SearchCandidate Record(IReadOnlyList<int> configuration, ConfigurationMetrics metrics, int seenAt)
    {
        var key = SearchActions.Key(configuration);
        if (_seen.TryGetValue(key, out var known))
        {
            return known;
        }

        var candidate = MakeCandidate(configuration, metrics, seenAt);
        _seen[key] = candidate;
        _candidates.Add(candidate);
        if (!_originalCompetes || IsBetter(candidate, Best))
        {
            _originalCompetes = true;
            Best = candidate;
            BestConfiguration = SearchActions.Canonical(configuration);
        }

        return candidate;
    }

    /// <summary>Records the final configuration of an episode and its reward.</summary>
    public SearchCandidate RecordEpisode(IReadOnlyList<int> configuration, ConfigurationMetrics metrics)
    {
        var candidate = Record(configuration, metrics, _episodeRewards.Count + 1);
        _episodeRewards.Add(_env.Reward.Compute(metrics).Total);
        return candidate;
    }

    public void Report(IProgress<SearchProgress>? progress, int episode, int total, double lastReward, double? epsilon = null, bool isFinalPolicy = false) =>
        progress?.Report(new SearchProgress(_strategy, episode, total, lastReward, Best.Reward, Best.MeetsBudgets, Elapsed, epsilon, isFinalPolicy));

    public SearchResult ToResult() => new(
        _strategy,
        _options.Seed,
        _env.DecisionPoints.Select(d => d.Name).ToArray(),
        Original,
        Best,
        _candidates.ToArray(),
        _episodeRewards.ToArray(),
        Elapsed,
        StoppedByTimeBudget);

    /// <summary>The ranking used for <see cref="Best"/>: strictly better only (ties keep the earlier one).</summary>
    public static bool IsBetter(SearchCandidate a, SearchCandidate b)
    {
        if (a.MeetsBudgets != b.MeetsBudgets)
        {
            return a.MeetsBudgets;
        }

        return a.Reward > b.Reward;
    }

    private SearchCandidate MakeCandidate(IReadOnlyList<int> configuration, ConfigurationMetrics metrics, int seenAt)
    {
        var reward = _env.Reward.Compute(metrics);
        return new SearchCandidate(
            SearchActions.Ids(_env, configuration),
            metrics,
            reward.R1,
            reward.R2,
            _env.Reward.Budgets.AreMet(metrics),
            seenAt);
    }
}
