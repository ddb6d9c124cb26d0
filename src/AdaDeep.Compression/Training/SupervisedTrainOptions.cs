namespace AdaDeep.Compression.Training;

/// <summary>How <see cref="SupervisedTrainer"/> trains a model on labelled data.</summary>
/// <param name="MaxEpochs">Upper bound on passes over the training part.</param>
/// <param name="BatchSize">Samples per step (a graph that fixes its batch dimension uses that size instead).</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="Patience">Epochs without a better validation accuracy before stopping early.</param>
/// <param name="TimeBudget">Wall-clock limit (checked after every step); null for none.</param>
/// <param name="Seed">Seeds TorchSharp, the validation split and the shuffling.</param>
/// <param name="ValidationFraction">Share of the data held out (seeded split) to pick the best epoch.</param>
/// <param name="Threads">TorchSharp intra-op threads while training (restored afterwards); null keeps the current setting.</param>
public sealed record SupervisedTrainOptions(
    int MaxEpochs = 5,
    int BatchSize = 64,
    double LearningRate = 1e-3,
    int Patience = 2,
    TimeSpan? TimeBudget = null,
    int Seed = 0,
    double ValidationFraction = 0.1,
    int? Threads = null);
