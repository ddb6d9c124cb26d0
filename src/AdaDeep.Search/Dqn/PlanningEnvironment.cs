using AdaDeep.Search.Core;

namespace AdaDeep.Search.Dqn;

/// <summary>
/// The real search problem with an <see cref="AdditiveSurrogate"/> in place of measurements: same decision points,
/// actions and reward, free to step through. Only techniques measured at least once at a decision point are legal, so
/// planning never invents what a technique does at a layer it was never tried on.
/// </summary>
public sealed class PlanningEnvironment : SearchEnvironmentBase
{
    private readonly ISearchEnvironment _real;
    private readonly AdditiveSurrogate _model;

    public PlanningEnvironment(ISearchEnvironment real, AdditiveSurrogate model)
    {
        _real = real ?? throw new ArgumentNullException(nameof(real));
        _model = model ?? throw new ArgumentNullException(nameof(model));
        SetReward(real.Reward);
    }

    public override IReadOnlyList<DecisionPoint> DecisionPoints => _real.DecisionPoints;

    public override IReadOnlyList<string> Actions => _real.Actions;

    protected override IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix) =>
        _real.DecisionPoints[position].CandidateActions.Where(a => _model.Knows(position, a)).ToArray();

    protected override ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration) => _model.Predict(canonicalConfiguration);
}
