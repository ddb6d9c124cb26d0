namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// Iterative magnitude pruning's schedule (Han et al. prune and retrain in rounds; the cubic ramp is Zhu and Gupta's
/// "To prune, or not to prune", 2017): at step k of n the layer holds s_k = s·(1 − (1 − k/n)³) of zeros, so most
/// weights go early, while the network is still redundant, and the last rounds remove few and retrain longer.
/// </summary>
public static class PruneSchedule
{
    /// <summary>Zeros a tensor of <paramref name="length"/> weights holds after step <paramref name="step"/> of
    /// <paramref name="steps"/> on its way to <paramref name="finalZeros"/>; exactly <paramref name="finalZeros"/> at the last step.</summary>
    public static int ZerosAt(int finalZeros, int step, int steps)
    {
        if (steps < 1 || step < 0 || step > steps || finalZeros < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), $"step {step} of {steps} towards {finalZeros} zeros");
        }

        var remaining = 1 - (double)step / steps;
        return step == steps ? finalZeros : (int)Math.Floor(finalZeros * (1 - remaining * remaining * remaining));
    }

    /// <summary>The positions of the <paramref name="zeros"/> smallest magnitudes (ties by position), as a 0/1 keep mask.</summary>
    public static float[] KeepMask(float[] values, int zeros)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (zeros < 0 || zeros > values.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(zeros), $"{zeros} zeros in a tensor of {values.Length}");
        }

        var order = new int[values.Length];
        var magnitudes = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            order[i] = i;
            magnitudes[i] = Math.Abs(values[i]);
        }

        // Stable order by magnitude, then position: the same weights always go first.
        Array.Sort(order, (a, b) => magnitudes[a] != magnitudes[b] ? magnitudes[a].CompareTo(magnitudes[b]) : a.CompareTo(b));
        var keep = new float[values.Length];
        Array.Fill(keep, 1f);
        for (var i = 0; i < zeros; i++)
        {
            keep[order[i]] = 0f;
        }

        return keep;
    }
}
