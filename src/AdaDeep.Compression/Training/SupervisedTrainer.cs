using AdaDeep.Compression.Data;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AdaDeep.Compression.Training;

/// <summary>
/// Trains an ONNX model's weights on labelled data through the TorchSharp bridge: cross-entropy loss, Adam, seeded
/// mini-batches, a seeded validation hold-out that picks the best epoch. Same loop as fine-tuning (pruned weights
/// stay zero, one dispose scope per step, time budget, cancellation).
/// </summary>
public static class SupervisedTrainer
{
    public static OnnxModel Train(OnnxModel model, Dataset data, SupervisedTrainOptions options,
        IProgress<FineTuneProgress>? progress = null, CancellationToken cancellationToken = default) =>
        TrainDetailed(model, data, options, progress, cancellationToken).Model;

    /// <summary>As <see cref="Train"/>, with the validation accuracy before and after, epochs and time.</summary>
    public static FineTuneResult TrainDetailed(OnnxModel model, Dataset data, SupervisedTrainOptions options,
        IProgress<FineTuneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (data.Labels is null)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, "supervised training needs a labelled data set", data.Source);
        }

        if (options.MaxEpochs < 1 || options.BatchSize < 1 || options.Patience < 1 || options.LearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxEpochs, BatchSize and Patience must be at least 1 and LearningRate positive");
        }

        if (options.ValidationFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ValidationFraction must lie strictly between 0 and 1");
        }

        data.CheckMatches(model);
        var (train, validation) = data.ConformTo(model).Split(options.ValidationFraction, options.Seed);
        using var threads = TorchThreadScope.Use(options.Threads);
        using var module = TorchGraphModule.FromOnnx(model);
        var labels = train.Labels!;
        var loop = new TrainingLoop
        {
            Module = module,
            Train = train,
            Validation = validation,
            ValidationTargets = validation.Labels!,
            Loss = (logits, indices) => F.cross_entropy(logits, TorchBatches.Labels(labels, indices)),
            MaxEpochs = options.MaxEpochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            Patience = options.Patience,
            TimeBudget = options.TimeBudget,
            Seed = options.Seed,
            PrunedZeroFraction = 0.10,
            Progress = progress,
            CancellationToken = cancellationToken,
        };
        var outcome = loop.Run();
        return outcome.ToResult(module.WriteBack(model), valIsAgreement: false);
    }
}
