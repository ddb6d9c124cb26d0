namespace AdaDeep.Search.Core;

/// <summary>Reported after each episode (or evaluation): where the search is and the best reward so far.</summary>
public sealed record SearchProgress(
    string Strategy,
    int Episode,
    int TotalEpisodes,
    double LastReward,
    double BestReward,
    bool BestMeetsBudgets,
    TimeSpan Elapsed,
    double? Epsilon = null);
