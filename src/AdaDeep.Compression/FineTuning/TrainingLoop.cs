using System.Diagnostics;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// The mini-batch training loop shared by distillation and supervised training: seeded shuffling, Adam, one dispose
/// scope per step, pruned-weight masks, validation top-1 after every epoch, early stopping, time budget, cancellation,
/// and the best epoch's weights restored at the end (epoch 0, the weights as given, counts too).
/// </summary>
internal sealed class TrainingLoop
{
    public required TorchGraphModule Module { get; init; }

    /// <summary>Training samples, already in the module's input shape.</summary>
    public required Dataset Train { get; init; }

    /// <summary>Validation samples (module's input shape) and the class each should get (labels or teacher top-1).</summary>
    public required Dataset Validation { get; init; }

    public required int[] ValidationTargets { get; init; }

    /// <summary>The loss of a batch: the module's outputs as [batch, classes] and the batch's sample indices into Train.</summary>
    public required Func<Tensor, int[], Tensor> Loss { get; init; }

    public required int MaxEpochs { get; init; }

    public required int BatchSize { get; init; }

    public required double LearningRate { get; init; }

    public required int Patience { get; init; }

    public required TimeSpan? TimeBudget { get; init; }

    public required int Seed { get; init; }

    public required double PrunedZeroFraction { get; init; }

    public IProgress<FineTuneProgress>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public sealed record Outcome(double Before, double After, int Epochs, int BestEpoch, int Steps, FineTuneStopReason StopReason, TimeSpan Elapsed)
    {
        /// <summary>The result a trainer returns: <paramref name="trained"/> (the module written back) and these figures.</summary>
        public FineTuneResult ToResult(OnnxModel trained, bool valIsAgreement) => new(trained, Before, After, Epochs, Elapsed)
        {
            BestEpoch = BestEpoch,
            ValIsAgreement = valIsAgreement,
            StopReason = StopReason,
            Steps = Steps,
        };
    }

    public Outcome Run()
    {
        var watch = Stopwatch.StartNew();
        torch.manual_seed(Seed);
        var parameters = Module.parameters().ToList();
        using var masks = new PrunedWeightMasks(parameters, PrunedZeroFraction);
        using var optimizer = optim.Adam(parameters, LearningRate);
        if (FixedBatch == 1 && BatchSize > 1 && Train.Count >= 2)
        {
            // Graphs exported with batch 1 can usually take mini-batches; the module checks before it agrees.
            using var probe = TorchBatches.Inputs(Train, new[] { 0, 1 });
            Module.TryRelaxFixedBatch(probe);
        }

        var batch = FixedBatch ?? BatchSize;
        // A fixed batch dimension cannot take a partial batch: its remainder is left out of that epoch.
        var stepsPerEpoch = FixedBatch is null ? (Train.Count + batch - 1) / batch : Train.Count / batch;
        if (stepsPerEpoch == 0)
        {
            throw new ArgumentException($"the training data has {Train.Count} samples, fewer than the model's fixed batch of {batch}");
        }

        var before = Measure(batch);
        var best = before;
        var bestWeights = Snapshot(parameters);
        var bestEpoch = 0;
        var sinceBest = 0;
        var epochs = 0;
        var steps = 0;
        var reason = FineTuneStopReason.MaxEpochs;
        for (var epoch = 1; epoch <= MaxEpochs; epoch++)
        {
            var order = Dataset.ShuffledIndices(Train.Count, unchecked(Seed * 7919 + epoch));
            Module.train();
            var outOfTime = false;
            for (var step = 0; step < stepsPerEpoch; step++)
            {
                CancellationToken.ThrowIfCancellationRequested();
                var indices = order.AsSpan(step * batch, Math.Min(batch, Train.Count - step * batch)).ToArray();
                double lossValue;
                using (var scope = NewDisposeScope())
                {
                    var x = TorchBatches.Inputs(Train, indices);
                    var output = Module.forward(x);
                    var logits = output.reshape(indices.Length, -1);
                    var loss = Loss(logits, indices);
                    if (!loss.requires_grad)
                    {
                        // Every path to the output crosses nodes that run in ONNX Runtime: nothing here can train.
                        throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
                            $"no trainable weight reaches the output except through nodes the TorchSharp bridge runs in ONNX Runtime ({string.Join(", ", Module.OrtEvaluatedNodes)})");
                    }

                    optimizer.zero_grad();
                    loss.backward();
                    masks.MaskGradients();
                    optimizer.step();
                    masks.MaskWeights();
                    lossValue = loss.item<float>();
                }

                steps++;
                Progress?.Report(new FineTuneProgress(epoch, MaxEpochs, step + 1, stepsPerEpoch, lossValue, null, watch.Elapsed));
                if (TimeBudget is { } budget && watch.Elapsed >= budget)
                {
                    outOfTime = true;
                    break;
                }
            }

            epochs = epoch;
            var accuracy = Measure(batch);
            Progress?.Report(new FineTuneProgress(epoch, MaxEpochs, stepsPerEpoch, stepsPerEpoch, double.NaN, accuracy, watch.Elapsed));
            if (accuracy > best)
            {
                best = accuracy;
                bestWeights = Snapshot(parameters);
                bestEpoch = epoch;
                sinceBest = 0;
            }
            else
            {
                sinceBest++;
            }

            if (outOfTime)
            {
                reason = FineTuneStopReason.TimeBudget;
                break;
            }

            if (sinceBest >= Patience)
            {
                reason = FineTuneStopReason.EarlyStopping;
                break;
            }
        }

        Restore(parameters, bestWeights);
        return new Outcome(before, best, epochs, bestEpoch, steps, reason, watch.Elapsed);
    }

    private int? FixedBatch => TorchBatches.FixedBatch(Module);

    /// <summary>Top-1 agreement of the module with <see cref="ValidationTargets"/>.</summary>
    private double Measure(int batch)
    {
        Module.eval();
        var predictions = TorchBatches.PredictTop1(Module, Validation, batch);
        return Evaluation.AccuracyEvaluator.Agreement(predictions, ValidationTargets);
    }

    private static List<float[]> Snapshot(List<TorchSharp.Modules.Parameter> parameters) =>
        parameters.Select(p => TorchGraphModule.Values(p)).ToList();

    private static void Restore(List<TorchSharp.Modules.Parameter> parameters, List<float[]> values)
    {
        using var _ = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var source = tensor(values[i], parameters[i].shape);
            parameters[i].copy_(source);
        }
    }
}
