namespace AdaDeep.Search.Core;

/// <summary>
/// Reported after each episode (or evaluation): where the search is and the best reward so far.
/// <see cref="IsFinalPolicy"/> marks the DQN's closing ε = 0 rollout of its learned policy, reported as the last
/// episode (Episode = TotalEpisodes) rather than as one more than were asked for.
/// </summary>
public sealed record SearchProgress(
    string Strategy,
    int Episode,
    int TotalEpisodes,
    double LastReward,
    double BestReward,
    bool BestMeetsBudgets,
    TimeSpan Elapsed,
    double? Epsilon = null,
    bool IsFinalPolicy = false);
