using AdaDeep.Search.Dqn;

namespace AdaDeep.Search.Core;

/// <summary>
/// How long and how a strategy searches. The budgets are the environment's (they shape its reward), not an option
/// here. <see cref="Clock"/> is only read to enforce <see cref="TimeBudget"/> and report the time spent; tests pass a
/// manual clock.
/// </summary>
public sealed record SearchOptions
{
    public static SearchOptions Default { get; } = new();

    /// <summary>Seeds every random choice (exploration, replay sampling, network initialisation, random search).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Episodes for the DQN and random search (greedy, exhaustive and single ignore it). For the DQN, only episodes
    /// that measured a configuration never measured before count (episodes answered from the cache are free).
    /// </summary>
    public int Episodes { get; init; } = 300;

    /// <summary>
    /// Distinct configurations a strategy may measure (null: no limit). Only greedy-explore reads it: the benchmark gives
    /// it the DQN's own count, so the baseline gets the same measurement budget.
    /// </summary>
    public int? MaxMeasurements { get; init; }

    /// <summary>Wall-clock limit; when spent, a strategy stops and returns the best found so far. Null: no limit.</summary>
    public TimeSpan? TimeBudget { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Hyper-parameters of the DQN strategy.</summary>
    public DqnOptions Dqn { get; init; } = DqnOptions.Default;
}
