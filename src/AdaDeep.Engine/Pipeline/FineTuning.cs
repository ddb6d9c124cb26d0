using AdaDeep.Compression.Data;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Fine-tunes the chosen candidate by distillation from the original model and cross-entropy with the labels, weighed
/// by the request's distillation weight (TorchSharp, via the ONNX bridge), and keeps the result only when it is at
/// least as accurate on the held-out data as before fine-tuning.
/// </summary>
public static class FineTuning
{
    public sealed record Outcome(OnnxModel Model, double Seconds, double AccuracyBefore, double AccuracyAfter, int Epochs = 0)
    {
        /// <summary>False when the bridge could not train this graph (the rewrite ships untrained, if the gate lets it).</summary>
        public bool Ran => !double.IsNaN(AccuracyBefore);
    }

    /// <summary>Iterative pruning from the teacher's dense weights when the request asks for more than one round and
    /// the student has weights pruned from the teacher's; null otherwise (the student trains as pruned).</summary>
    public static IterativePruning? IterativePruningFor(OnnxModel teacher, OnnxModel student, CompressRequest request)
    {
        if (request.EffectivePruneSteps <= 1)
        {
            return null;
        }

        var dense = PrunedWeightOrigins.Find(teacher, student);
        return dense.Count == 0 ? null : new IterativePruning(dense, request.EffectivePruneSteps);
    }

    public static Outcome Run(OnnxModel teacher, OnnxModel student, Dataset train, Dataset validation, CompressRequest request,
        CancellationToken ct, Action<double> progress, List<string> warnings)
    {
        var options = new FineTuneOptions(
            MaxEpochs: request.FineTuneEpochs,
            BatchSize: 32,
            TimeBudget: request.FineTuneBudget,
            Seed: request.EffectiveSeed,
            Threads: 1,
            Pruning: IterativePruningFor(teacher, student, request),
            Schedule: request.FineTuneSchedule,
            Alpha: request.DistillationWeight);
        try
        {
            var result = Distiller.FineTune(teacher, student, train, validation, options,
                new SyncProgress<FineTuneProgress>(p =>
                {
                    if (p.IsEpochEnd)
                    {
                        progress(Math.Min(1, (double)p.Epoch / p.MaxEpochs));
                    }
                }), ct);
            if (result.OrtEvaluatedNodes.Count > 0)
            {
                var nodes = string.Join(", ", result.OrtEvaluatedNodes.Take(5)) + (result.OrtEvaluatedNodes.Count > 5 ? $" and {result.OrtEvaluatedNodes.Count - 5} more" : "");
                warnings.Add($"{request.ModelPath ?? DefaultModel.DisplayName}: warning {ErrorCodes.FineTunePartlyFrozen}: fine-tuned with {result.OrtEvaluatedNodes.Count} node(s) run in ONNX Runtime, frozen (the TorchSharp bridge does not run them): {nodes}; weights that reach the output only through them kept their values");
            }

            if (result.StopReason == FineTuneStopReason.TimeBudget)
            {
                warnings.Add($"{request.ModelPath ?? DefaultModel.DisplayName}: warning {ErrorCodes.TimeBudgetCut}: the fine-tuning time cap ({request.FineTuneBudget.TotalSeconds:0} s) stopped training after {result.Epochs} of {request.FineTuneEpochs} epochs; the result depends on this machine's speed");
            }

            return result.ValAccuracyAfter >= result.ValAccuracyBefore
                ? new Outcome(result.Model, result.Elapsed.TotalSeconds, result.ValAccuracyBefore, result.ValAccuracyAfter, result.Epochs)
                : new Outcome(student, result.Elapsed.TotalSeconds, result.ValAccuracyBefore, result.ValAccuracyBefore);
        }
        catch (AdaDeepException e) when (e.Code == ErrorCodes.TechniqueNotApplicable)
        {
            // The bridge does not support an operator of this graph: ship the rewrite as it is, and say so.
            warnings.Add($"{request.ModelPath ?? DefaultModel.DisplayName}: warning {ErrorCodes.TechniqueNotApplicable}: not fine-tuned: {e.Message}");
            return new Outcome(student, 0, double.NaN, double.NaN);
        }
    }
}
