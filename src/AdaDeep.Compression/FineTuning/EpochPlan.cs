namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// How many epochs a time-capped fine-tune will get, judged after its first epoch, and how its pruning rounds fit
/// them: the rounds asked for assume every epoch runs, so when the cap allows fewer the rounds shrink in the same
/// proportion. Without this a cap that cuts 24 planned epochs to 14 left 12 rounds of pruning and only 2 epochs of
/// retraining at the final sparsity (LeNet-5, 2026-12-04).
/// </summary>
public static class EpochPlan
{
    /// <summary>Epochs that fit <paramref name="budget"/> at the first epoch's pace, within 1..<paramref name="maxEpochs"/>.</summary>
    public static int Epochs(int maxEpochs, TimeSpan? budget, TimeSpan firstEpoch)
    {
        if (maxEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEpochs), "at least one epoch");
        }

        if (budget is not { } b || firstEpoch <= TimeSpan.Zero)
        {
            return maxEpochs;
        }

        return (int)Math.Clamp(Math.Floor(b.TotalSeconds / firstEpoch.TotalSeconds), 1, maxEpochs);
    }

    /// <summary>Pruning rounds scaled from <paramref name="maxEpochs"/> to <paramref name="plannedEpochs"/>, never more than
    /// asked: 12 rounds of 24 epochs become 7 of 14. Planned after the first epoch, which ran round 1 of the rounds asked,
    /// so at least 2 remain (the second reaches the final sparsity).</summary>
    public static int PruneRounds(int rounds, int maxEpochs, int plannedEpochs)
    {
        if (rounds <= 1 || plannedEpochs >= maxEpochs)
        {
            return rounds;
        }

        return Math.Clamp(rounds * plannedEpochs / maxEpochs, 2, rounds);
    }
}
