using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Evaluation;

/// <summary>
/// Measures a model in ONNX Runtime: top-1 accuracy against the data set's labels, or, for unlabelled data, top-1
/// agreement with a reference model's predictions (<see cref="AccuracyResult.IsAgreement"/>).
/// </summary>
public static class AccuracyEvaluator
{
    public static AccuracyResult Evaluate(OnnxModel model, Dataset data, OnnxModel? reference = null)
    {
        data.CheckMatches(model);
        if (data.Labels is { } labels)
        {
            return new AccuracyResult(Agreement(PredictTop1(model, data), labels), false, data.Count);
        }

        if (reference is null)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                "the data set has no labels, so accuracy can only be measured as agreement with the original model, and none was given", data.Source);
        }

        return EvaluateAgainst(model, data, PredictTop1(reference, data));
    }

    /// <summary>Agreement with reference predictions computed once (e.g. the original model's, reused across candidates).</summary>
    public static AccuracyResult EvaluateAgainst(OnnxModel model, Dataset data, IReadOnlyList<int> referenceTop1)
    {
        if (referenceTop1.Count != data.Count)
        {
            throw new ArgumentException($"{referenceTop1.Count} reference predictions for {data.Count} samples", nameof(referenceTop1));
        }

        data.CheckMatches(model);
        return new AccuracyResult(Agreement(PredictTop1(model, data), referenceTop1), true, data.Count);
    }

    /// <summary>The top-1 class of every sample.</summary>
    public static int[] PredictTop1(OnnxModel model, Dataset data)
    {
        using var runner = new OrtModelRunner(model);
        return runner.Top1(data);
    }

    /// <summary>The fraction of positions where the two lists agree.</summary>
    public static double Agreement(IReadOnlyList<int> predictions, IReadOnlyList<int> expected)
    {
        if (predictions.Count == 0)
        {
            return 0;
        }

        var same = 0;
        for (var i = 0; i < predictions.Count; i++)
        {
            if (predictions[i] == expected[i])
            {
                same++;
            }
        }

        return (double)same / predictions.Count;
    }
}
