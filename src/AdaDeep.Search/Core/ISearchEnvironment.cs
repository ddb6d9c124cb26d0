namespace AdaDeep.Search.Core;

/// <summary>
/// The search problem, independent of what the actions do. A configuration is one action index per decision
/// point (index 0 = "none"); a shorter list is a prefix whose remaining decision points are "none".
/// An episode walks the decision points in order: <see cref="Reset"/>, then <see cref="Step"/> once per point.
/// </summary>
public interface ISearchEnvironment
{
    /// <summary>Layers to decide, in the order an episode visits them.</summary>
    IReadOnlyList<DecisionPoint> DecisionPoints { get; }

    /// <summary>Every action id; index 0 is <see cref="SearchActions.None"/>.</summary>
    IReadOnlyList<string> Actions { get; }

    /// <summary>Length of the state vector (<see cref="StateEncoder.FeatureCount"/>).</summary>
    int StateSize { get; }

    /// <summary>Eq. 8 with the original model's figures and the budgets.</summary>
    RewardFunction Reward { get; }

    ConfigurationMetrics OriginalMetrics { get; }

    /// <summary>Action indices legal at decision point <c>prefix.Count</c> after the choices in <paramref name="prefix"/>.</summary>
    IReadOnlyList<int> LegalActions(IReadOnlyList<int> prefix);

    /// <summary>Metrics of a configuration (or prefix). Deterministic; environments cache it.</summary>
    ConfigurationMetrics Evaluate(IReadOnlyList<int> configuration);

    /// <summary>Starts an episode at the first decision point and returns its state.</summary>
    float[] Reset();

    /// <summary>State at the current decision point: layer features and budget usage so far.</summary>
    float[] Observe();

    /// <summary>Action indices legal at the current decision point.</summary>
    IReadOnlyList<int> LegalActions();

    /// <summary>Applies <paramref name="action"/> at the current decision point and moves to the next.</summary>
    StepResult Step(int action);

    bool IsDone { get; }

    /// <summary>Actions chosen so far in this episode.</summary>
    IReadOnlyList<int> Configuration { get; }

    /// <summary>Metrics of the current configuration (the final one once <see cref="IsDone"/>).</summary>
    ConfigurationMetrics Metrics { get; }
}
