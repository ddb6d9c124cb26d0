namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// Fine-tuning that reaches a pruned student's sparsity in <see cref="Steps"/> rounds instead of at once: the pruned
/// weights start from their dense values (<see cref="DenseWeights"/>, by initializer name, the same shape as the
/// student's), each of the first <see cref="Steps"/> epochs begins by pruning the smallest magnitudes of the weights
/// as trained so far (<see cref="PruneSchedule"/>), and each layer ends with as many zeros as the student has, so the
/// shipped size is the one the search measured. Only epochs at the final sparsity can be kept; epoch 0 is the
/// student as given (one-shot pruned), so the result is never worse on validation than one-shot pruning. A time
/// budget that ends training before the last round prunes to the final sparsity there and then.
/// </summary>
/// <param name="DenseWeights">Dense values of the student's pruned weights, by initializer name.</param>
/// <param name="Steps">Pruning rounds (at least 1; 1 prunes the dense weights at once, by their magnitudes).</param>
public sealed record IterativePruning(IReadOnlyDictionary<string, float[]> DenseWeights, int Steps)
{
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(DenseWeights);
        if (Steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Steps), "iterative pruning needs at least one step");
        }
    }
}
