namespace AdaDeep.Search.Core;

/// <summary>
/// The episode mechanics every environment shares: stepping through the decision points, step rewards as the
/// change in the configuration's Eq. 8 reward, state encoding, and a metrics cache keyed by the canonical
/// configuration. Subclasses say which actions are legal and what a configuration measures.
/// </summary>
public abstract class SearchEnvironmentBase : ISearchEnvironment
{
    private readonly Dictionary<string, ConfigurationMetrics> _metricsCache = new(StringComparer.Ordinal);
    private readonly List<int> _configuration = new();
    private RewardFunction? _reward;
    private ConfigurationMetrics? _current;

    public abstract IReadOnlyList<DecisionPoint> DecisionPoints { get; }

    public abstract IReadOnlyList<string> Actions { get; }

    public int StateSize => StateEncoder.FeatureCount;

    public RewardFunction Reward => _reward ?? throw new InvalidOperationException("The environment did not set its reward function.");

    public ConfigurationMetrics OriginalMetrics => Reward.Original;

    public bool IsDone => _configuration.Count >= DecisionPoints.Count;

    public IReadOnlyList<int> Configuration => _configuration;

    public ConfigurationMetrics Metrics => _current ?? OriginalMetrics;

    /// <summary>Distinct configurations measured so far (cache misses; the original model is not counted).</summary>
    public int DistinctEvaluations { get; private set; }

    /// <summary>Calls to <see cref="Evaluate"/> answered from the cache.</summary>
    public int CacheHits { get; private set; }

    public IReadOnlyList<int> LegalActions(IReadOnlyList<int> prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Count >= DecisionPoints.Count)
        {
            return Array.Empty<int>();
        }

        return LegalActionsAt(prefix.Count, prefix);
    }

    public IReadOnlyList<int> LegalActions() => LegalActions(_configuration);

    public ConfigurationMetrics Evaluate(IReadOnlyList<int> configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Count > DecisionPoints.Count)
        {
            throw new ArgumentException($"A configuration has at most {DecisionPoints.Count} actions; got {configuration.Count}.", nameof(configuration));
        }

        var canonical = SearchActions.Canonical(configuration);
        if (canonical.Length == 0)
        {
            return OriginalMetrics;
        }

        var key = string.Join(",", canonical);
        if (_metricsCache.TryGetValue(key, out var cached))
        {
            CacheHits++;
            return cached;
        }

        var metrics = Measure(canonical);
        _metricsCache[key] = metrics;
        DistinctEvaluations++;
        return metrics;
    }

    public float[] Reset()
    {
        _configuration.Clear();
        _current = OriginalMetrics;
        return Observe();
    }

    public float[] Observe()
    {
        var count = DecisionPoints.Count;
        var position = _configuration.Count;
        var layer = position < count ? DecisionPoints[position].Features : null;
        return StateEncoder.Encode(layer, position, count, Metrics, Reward);
    }

    public StepResult Step(int action)
    {
        if (IsDone)
        {
            throw new InvalidOperationException("The episode is over; call Reset() first.");
        }

        var legal = LegalActions();
        if (!legal.Contains(action))
        {
            var point = DecisionPoints[_configuration.Count];
            var name = action >= 0 && action < Actions.Count ? Actions[action] : action.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new ArgumentException($"Action '{name}' is not legal at decision point '{point.Name}'.", nameof(action));
        }

        var before = Reward.Compute(Metrics);
        _configuration.Add(action);
        _current = Evaluate(_configuration);
        var after = Reward.Compute(_current);
        var delta = after - before;
        return new StepResult(Observe(), delta.R1, delta.R2, IsDone, _current, after);
    }

    /// <summary>Call once from the subclass constructor, after the original model is measured.</summary>
    protected void SetReward(RewardFunction reward) => _reward = reward ?? throw new ArgumentNullException(nameof(reward));

    /// <summary>Legal action indices at <paramref name="position"/>, given the earlier choices in <paramref name="prefix"/>. Must contain 0 (none).</summary>
    protected abstract IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix);

    /// <summary>Measures a non-empty canonical configuration (no trailing nones). Called once per configuration.</summary>
    protected abstract ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration);
}
