namespace AdaDeep.Search.Core;

/// <summary>
/// What a strategy found. <see cref="Best"/> is the best candidate seen (see <see cref="CandidateLog"/> for the
/// order); <see cref="Candidates"/> every distinct configuration measured, in the order first seen;
/// <see cref="EpisodeRewards"/> the final configuration's total reward (R1 + R2) of every episode run.
/// </summary>
public sealed record SearchResult(
    string Strategy,
    int Seed,
    IReadOnlyList<string> DecisionPoints,
    SearchCandidate Original,
    SearchCandidate Best,
    IReadOnlyList<SearchCandidate> Candidates,
    IReadOnlyList<double> EpisodeRewards,
    TimeSpan Elapsed,
    bool StoppedByTimeBudget);
