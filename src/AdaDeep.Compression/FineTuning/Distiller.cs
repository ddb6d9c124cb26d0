using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AdaDeep.Compression.FineTuning;

/// <summary>
/// Fine-tunes a compressed student by knowledge distillation from the original (teacher) model, after Hinton et al.:
/// loss = α·T²·KL(p_teacher ‖ p_student) + (1 − α)·CE(student, labels), with p = softmax(logits / T); the KL term alone
/// when the data has no labels. The teacher's logits are computed once with ONNX Runtime; the student is trained
/// through the TorchSharp bridge with Adam on seeded mini-batches, keeps its pruned weights at zero, stops early when
/// validation accuracy stalls, and returns the best epoch's weights written back into a copy of the student.
/// </summary>
public static class Distiller
{
    /// <summary>Validation samples taken from the training data when no validation set is given.</summary>
    public const int FallbackValidationSamples = 1000;

    public static FineTuneResult FineTune(OnnxModel teacher, OnnxModel student, Dataset train, Dataset? validation,
        FineTuneOptions options, IProgress<FineTuneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        train.CheckMatches(teacher);
        train.CheckMatches(student);
        validation ??= train.Subset(Dataset.ShuffledIndices(train.Count, options.Seed).Take(FallbackValidationSamples).ToArray());
        validation.CheckMatches(student);

        // Teacher soft targets once, in ONNX Runtime.
        ModelOutputs teacherTrain;
        int[] validationTargets;
        using (var runner = new OrtModelRunner(teacher))
        {
            teacherTrain = runner.Run(train);
            validationTargets = validation.Labels ?? runner.Run(validation).Top1();
        }

        using var threads = TorchThreadScope.Use(options.Threads);
        using var module = TorchGraphModule.FromOnnx(student);
        var trainData = train.ConformTo(student);
        var classes = teacherTrain.SampleSize;
        var temperature = options.Temperature;
        var labels = train.Labels;
        Tensor Loss(Tensor logits, int[] indices)
        {
            if (logits.shape[1] != classes)
            {
                throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
                    $"the student outputs {logits.shape[1]} values per sample but the teacher {classes}; distillation needs the same classes",
                    student.SourcePath);
            }

            var teacherLogits = TorchBatches.Rows(teacherTrain.Values, classes, indices);
            var studentLog = F.log_softmax(logits / temperature, 1);
            var teacherSoft = F.softmax(teacherLogits / temperature, 1);
            var kl = F.kl_div(studentLog, teacherSoft, false, nn.Reduction.Sum) * (temperature * temperature / indices.Length);
            if (labels is null || options.Alpha >= 1)
            {
                return kl;
            }

            var ce = F.cross_entropy(logits, TorchBatches.Labels(labels, indices));
            return kl * options.Alpha + ce * (1 - options.Alpha);
        }

        var loop = new TrainingLoop
        {
            Module = module,
            Train = trainData,
            Validation = validation.ConformTo(student),
            ValidationTargets = validationTargets,
            Loss = Loss,
            MaxEpochs = options.MaxEpochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            Schedule = options.Schedule,
            Patience = options.Patience,
            TimeBudget = options.TimeBudget,
            Seed = options.Seed,
            PrunedZeroFraction = options.PrunedZeroFraction,
            Pruning = options.Pruning,
            Progress = progress,
            CancellationToken = cancellationToken,
        };
        var outcome = loop.Run();
        return outcome.ToResult(module.WriteBack(student), valIsAgreement: validation.Labels is null) with
        {
            OrtEvaluatedNodes = module.OrtEvaluatedNodes,
        };
    }
}
