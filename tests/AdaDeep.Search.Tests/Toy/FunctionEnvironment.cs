using AdaDeep.Devices.Costs;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Tests.Toy;

/// <summary>An environment given by a metrics function and an optional legality rule, for strategy tests.</summary>
public sealed class FunctionEnvironment : SearchEnvironmentBase
{
    private readonly DecisionPoint[] _points;
    private readonly string[] _actions;
    private readonly Func<IReadOnlyList<int>, ConfigurationMetrics> _metrics;
    private readonly Func<int, IReadOnlyList<int>, IReadOnlyList<int>>? _legal;

    public FunctionEnvironment(
        IEnumerable<DecisionPoint> points,
        IEnumerable<string> actions,
        SearchBudgets budgets,
        Func<IReadOnlyList<int>, ConfigurationMetrics> metrics,
        Func<int, IReadOnlyList<int>, IReadOnlyList<int>>? legal = null)
    {
        _points = points.ToArray();
        _actions = actions.ToArray();
        _metrics = metrics;
        _legal = legal;
        SetReward(new RewardFunction(RewardWeights.Default, metrics(Array.Empty<int>()), budgets));
    }

    public List<string> Measured { get; } = new();

    public override IReadOnlyList<DecisionPoint> DecisionPoints => _points;

    public override IReadOnlyList<string> Actions => _actions;

    protected override IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix) =>
        _legal?.Invoke(position, prefix) ?? _points[position].CandidateActions;

    protected override ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration)
    {
        Measured.Add(SearchActions.Key(canonicalConfiguration));
        return _metrics(canonicalConfiguration);
    }
}
