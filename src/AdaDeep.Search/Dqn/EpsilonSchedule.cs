namespace AdaDeep.Search.Dqn;

/// <summary>
/// ε-greedy exploration rate: decays exponentially from start to end over the first DecayEpisodes episodes,
/// then stays at end. ε(e) = start · (end / start)^(e / DecayEpisodes).
/// </summary>
public sealed record EpsilonSchedule(double Start, double End, int DecayEpisodes)
{
    public static EpsilonSchedule For(DqnOptions options, int episodes) =>
        new(options.EpsilonStart, options.EpsilonEnd, Math.Max(1, (int)Math.Round(episodes * options.EpsilonDecayFraction)));

    /// <summary>ε for the zero-based episode index.</summary>
    public double At(int episode)
    {
        if (Start <= 0 || episode >= DecayEpisodes)
        {
            return End;
        }

        if (End <= 0)
        {
            return Start * (1 - (double)episode / DecayEpisodes);
        }

        return Start * Math.Pow(End / Start, (double)episode / DecayEpisodes);
    }
}
