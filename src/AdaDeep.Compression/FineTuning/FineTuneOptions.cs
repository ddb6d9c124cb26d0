namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// How <see cref="Distiller"/> fine-tunes a student against its teacher.
/// </summary>
/// <param name="MaxEpochs">Upper bound on passes over the training data.</param>
/// <param name="BatchSize">Samples per step (a student whose input fixes the batch dimension uses that size instead).</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="Temperature">T of the distillation loss: softens both distributions; the KL term is scaled by T².</param>
/// <param name="Alpha">Weight of the distillation term; 1 − Alpha weighs cross-entropy with the labels (labelled data only).</param>
/// <param name="Patience">Epochs without a better validation accuracy before stopping early (constant schedule only).</param>
/// <param name="TimeBudget">Wall-clock limit (checked after every step); null for none.</param>
/// <param name="Seed">Seeds TorchSharp and the shuffling: the same inputs and seed give the same model bytes.</param>
/// <param name="PrunedZeroFraction">A weight tensor with at least this fraction of exact zeros keeps them zero (pruned stays pruned).</param>
/// <param name="Threads">TorchSharp intra-op threads while training (restored afterwards); null keeps the current setting.</param>
/// <param name="Pruning">Reach the student's pruned sparsity in rounds from dense weights (null: train the student as pruned).</param>
/// <param name="Schedule">How the step size moves over the epochs (cosine: over those the time budget allows).</param>
public sealed record FineTuneOptions(
    int MaxEpochs = 10,
    int BatchSize = 32,
    double LearningRate = 1e-3,
    double Temperature = 4.0,
    double Alpha = 0.7,
    int Patience = 3,
    TimeSpan? TimeBudget = null,
    int Seed = 0,
    double PrunedZeroFraction = 0.10,
    int? Threads = null,
    IterativePruning? Pruning = null,
    LearningRateSchedule Schedule = LearningRateSchedule.Constant)
{
    internal void Validate()
    {
        Pruning?.Validate();
        if (MaxEpochs < 1 || BatchSize < 1 || Patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FineTuneOptions), "MaxEpochs, BatchSize and Patience must be at least 1");
        }

        if (LearningRate <= 0 || Temperature <= 0 || Alpha is < 0 or > 1 || PrunedZeroFraction is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FineTuneOptions),
                "LearningRate and Temperature must be positive, Alpha within [0, 1], PrunedZeroFraction within (0, 1]");
        }
    }
}
