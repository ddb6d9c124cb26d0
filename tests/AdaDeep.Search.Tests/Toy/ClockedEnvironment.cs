using AdaDeep.Search.Core;

namespace AdaDeep.Search.Tests.Toy;

/// <summary>Forwards to an environment and advances a manual clock by a fixed amount on every Evaluate and Step.</summary>
public sealed class ClockedEnvironment(ISearchEnvironment inner, ManualClock clock, TimeSpan perCall) : ISearchEnvironment
{
    public int Calls { get; private set; }

    public IReadOnlyList<DecisionPoint> DecisionPoints => inner.DecisionPoints;

    public IReadOnlyList<string> Actions => inner.Actions;

    public int StateSize => inner.StateSize;

    public RewardFunction Reward => inner.Reward;

    public ConfigurationMetrics OriginalMetrics => inner.OriginalMetrics;

    public bool IsDone => inner.IsDone;

    public IReadOnlyList<int> Configuration => inner.Configuration;

    public ConfigurationMetrics Metrics => inner.Metrics;

    public IReadOnlyList<int> LegalActions(IReadOnlyList<int> prefix) => inner.LegalActions(prefix);

    public IReadOnlyList<int> LegalActions() => inner.LegalActions();

    public ConfigurationMetrics Evaluate(IReadOnlyList<int> configuration)
    {
        Tick();
        return inner.Evaluate(configuration);
    }

    public float[] Reset() => inner.Reset();

    public float[] Observe() => inner.Observe();

    public StepResult Step(int action)
    {
        Tick();
        return inner.Step(action);
    }

    private void Tick()
    {
        Calls++;
        clock.Advance(perCall);
    }
}
