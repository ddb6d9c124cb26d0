namespace AdaDeep.Search.Dqn;

/// <summary>
/// ε-greedy exploration rate, annealed linearly (as in the DQN literature) from start to end over the first
/// DecayEpisodes episodes, then held at end: ε(e) = start + (end − start) · min(e, DecayEpisodes) / DecayEpisodes.
/// (An exponential decay to the paper's 0.001 spends most of the decay below 0.05 and stops exploring too soon.)
/// </summary>
public sealed record EpsilonSchedule(double Start, double End, int DecayEpisodes)
{
    public static EpsilonSchedule For(DqnOptions options, int episodes) =>
        new(options.EpsilonStart, options.EpsilonEnd, Math.Max(1, (int)Math.Round(episodes * options.EpsilonDecayFraction)));

    /// <summary>ε for the zero-based episode index.</summary>
    public double At(int episode) =>
        episode >= DecayEpisodes ? End : Start + (End - Start) * Math.Max(0, episode) / DecayEpisodes;
}
