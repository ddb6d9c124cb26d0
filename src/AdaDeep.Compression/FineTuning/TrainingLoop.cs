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
/// scope per step, pruned-weight masks, validation top-1 after every epoch, early stopping (constant step size), a
/// learning-rate schedule over the epochs the time budget allows (<see cref="EpochPlan"/>), cancellation, and the best
/// epoch's weights restored at the end (epoch 0, the weights as given, counts too).
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

    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    public required int Patience { get; init; }

    public required TimeSpan? TimeBudget { get; init; }

    public required int Seed { get; init; }

    public required double PrunedZeroFraction { get; init; }

    /// <summary>Reach the student's sparsity in rounds from its dense weights (null: train the student as pruned).</summary>
    public IterativePruning? Pruning { get; init; }

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
        var masks = new PrunedWeightMasks(parameters, PrunedZeroFraction);
        try
        {
            return Run(watch, parameters, ref masks);
        }
        finally
        {
            masks.Dispose();
        }
    }

    private Outcome Run(Stopwatch watch, List<TorchSharp.Modules.Parameter> parameters, ref PrunedWeightMasks masks)
    {
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

        // Iterative pruning: the pruned weights restart dense and lose their smallest magnitudes over the first rounds;
        // only epochs at the final sparsity may be kept (epoch 0, the one-shot student, already is).
        var pruned = PrunedStarts();
        var rounds = pruned.Count == 0 ? 0 : Math.Min(Pruning!.Steps, MaxEpochs);
        if (rounds > 0)
        {
            Load(pruned);
        }

        var plannedEpochs = MaxEpochs;
        for (var epoch = 1; epoch <= MaxEpochs; epoch++)
        {
            if (Schedule != LearningRateSchedule.Constant)
            {
                var rate = LearningRates.At(Schedule, LearningRate, epoch, plannedEpochs);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = rate;
                }
            }

            if (epoch <= rounds)
            {
                PruneRound(pruned, epoch, rounds);
                masks.Dispose();
                masks = new PrunedWeightMasks(parameters, PrunedZeroFraction, pruned.Select(p => p.Parameter).ToHashSet());
            }

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
            if (epoch == 1)
            {
                // The first epoch's pace says how many the time budget allows: the schedule and the rounds fit those.
                plannedEpochs = EpochPlan.Epochs(MaxEpochs, TimeBudget, watch.Elapsed);
                rounds = EpochPlan.PruneRounds(rounds, MaxEpochs, plannedEpochs);
            }

            var accuracy = Measure(batch);
            Progress?.Report(new FineTuneProgress(epoch, MaxEpochs, stepsPerEpoch, stepsPerEpoch, double.NaN, accuracy, watch.Elapsed));
            var atFinalSparsity = epoch >= rounds;
            if (atFinalSparsity && accuracy > best)
            {
                best = accuracy;
                bestWeights = Snapshot(parameters);
                bestEpoch = epoch;
                sinceBest = 0;
            }
            else if (atFinalSparsity)
            {
                sinceBest++;
            }

            if (outOfTime)
            {
                // Cut before the last pruning round: prune to the final sparsity now, so the training done counts
                // rather than falling back to the untrained one-shot student.
                if (epoch < rounds)
                {
                    PruneRound(pruned, rounds, rounds);
                    var final = Measure(batch);
                    if (final > best)
                    {
                        (best, bestWeights, bestEpoch) = (final, Snapshot(parameters), epoch);
                    }
                }

                reason = FineTuneStopReason.TimeBudget;
                break;
            }

            if (sinceBest >= Patience && Schedule == LearningRateSchedule.Constant)
            {
                reason = FineTuneStopReason.EarlyStopping;
                break;
            }
        }

        Restore(parameters, bestWeights);
        return new Outcome(before, best, epochs, bestEpoch, steps, reason, watch.Elapsed);
    }

    private int? FixedBatch => TorchBatches.FixedBatch(Module);

    private sealed record PrunedStart(TorchSharp.Modules.Parameter Parameter, float[] Dense, int FinalZeros);

    /// <summary>The student's pruned weights that have dense values to start from: same size, more zeros than those values.</summary>
    private List<PrunedStart> PrunedStarts()
    {
        var result = new List<PrunedStart>();
        if (Pruning is null)
        {
            return result;
        }

        Pruning.Validate();
        foreach (var weight in Module.Weights)
        {
            if (!Pruning.DenseWeights.TryGetValue(weight.ValueName, out var dense))
            {
                continue;
            }

            var values = TorchGraphModule.Values(weight.Parameter);
            var zeros = values.Count(v => v == 0);
            if (dense.Length == values.Length && zeros > dense.Count(v => v == 0))
            {
                result.Add(new PrunedStart(weight.Parameter, dense, zeros));
            }
        }

        return result;
    }

    private static void Load(IEnumerable<PrunedStart> pruned)
    {
        using var _ = no_grad();
        foreach (var p in pruned)
        {
            using var source = tensor(p.Dense, p.Parameter.shape);
            p.Parameter.copy_(source);
        }
    }

    /// <summary>Round <paramref name="round"/> of <paramref name="rounds"/>: each weight keeps all but its smallest magnitudes.</summary>
    private static void PruneRound(IEnumerable<PrunedStart> pruned, int round, int rounds)
    {
        using var _ = no_grad();
        foreach (var p in pruned)
        {
            var keep = PruneSchedule.KeepMask(TorchGraphModule.Values(p.Parameter), PruneSchedule.ZerosAt(p.FinalZeros, round, rounds));
            using var mask = tensor(keep, p.Parameter.shape);
            p.Parameter.mul_(mask);
        }
    }

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
