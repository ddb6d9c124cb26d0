namespace AdaDeep.Compression.FineTuning;

/// <summary>How the fine-tune's Adam step size moves over its epochs.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same step size every epoch; training ends at the epoch cap, the time cap or when validation stalls.</summary>
    Constant,

    /// <summary>
    /// Cosine annealing (Loshchilov and Hutter, SGDR, 2017) over the epochs planned (<see cref="EpochPlan"/>): full step
    /// size in epoch 1, falling to near zero in the last, so retraining settles instead of ending mid-stride. The
    /// schedule ends training, so early stopping does not apply.
    /// </summary>
    Cosine,
}

/// <summary>The step size of an epoch under a <see cref="LearningRateSchedule"/>.</summary>
public static class LearningRates
{
    /// <summary>Step size of 1-based <paramref name="epoch"/> of <paramref name="plannedEpochs"/>: ½·(1 + cos(π·(e − 1)/n)) of
    /// the base for cosine (epochs past the plan keep the last epoch's rate), the base for constant.</summary>
    public static double At(LearningRateSchedule schedule, double baseRate, int epoch, int plannedEpochs)
    {
        if (epoch < 1 || plannedEpochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), $"epoch {epoch} of {plannedEpochs}");
        }

        return schedule switch
        {
            LearningRateSchedule.Constant => baseRate,
            LearningRateSchedule.Cosine => baseRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(epoch - 1, plannedEpochs - 1) / plannedEpochs)),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, null),
        };
    }
}
