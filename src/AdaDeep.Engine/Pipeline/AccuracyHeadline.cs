using System.Globalization;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The accuracy figure (<see cref="AccuracyMeasures"/>) the one-line summaries (CLI, build) and the report lead with, in the measure that means
/// something for the model's first output (the one accuracy is measured on):
/// <list type="bullet">
/// <item><c>accuracy</c>: labelled data, the test split's accuracy before → after.</item>
/// <item><c>agreement</c>: no labels and a class-score output (one score vector per sample): top-1 agreement with the
/// original.</item>
/// <item><c>cosine</c>: no labels and a dense output (an N×C×H×W map, a sequence, a vector of one value…): a top-1 argmax
/// over the whole map says nothing (6 samples of 409,600 pixels gave "66.67 %"), so the mean cosine similarity of the
/// compressed model's outputs to the original's on the validation gate's inputs (1 = same direction), per sample. Cosine
/// rather than mean IoU of argmax maps: it needs no class axis to be guessed and reads the same for heat maps,
/// embeddings and masks.</item>
/// <item><c>not measured</c>: no labels and the figure would mean nothing: the original predicts one class on every
/// input, or its output is constant (ADA3604), or the output could not be compared; the reason replaces the number.</item>
/// </list>
/// </summary>
public sealed record AccuracyHeadline(string Measure, string Text)
{
    public static AccuracyHeadline From(bool isAgreement, double original, double compressed, ValidationReport validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var inv = CultureInfo.InvariantCulture;
        if (!isAgreement)
        {
            return new(AccuracyMeasures.Accuracy, string.Format(inv, "accuracy {0:P2} → {1:P2}", original, compressed));
        }

        var first = validation.Outputs.FirstOrDefault();
        if (first is null || first.NotCompared is { } || first.Degenerate is { })
        {
            var why = first is null ? "no output was compared"
                : first.NotCompared is { } notCompared ? $"output '{first.Name}' not compared: {notCompared}"
                : $"{ErrorCodes.ValidationMeaningless}: {first.Degenerate}";
            return new(AccuracyMeasures.NotMeasured, $"accuracy not measured ({why})");
        }

        return first.IsClassifier
            ? new(AccuracyMeasures.Agreement, string.Format(inv, "agreement {0:P2} → {1:P2}", original, compressed))
            : new(AccuracyMeasures.Cosine, string.Format(inv, "output cosine similarity to the original {0:0.####} (min {1:0.####}; dense output {2} on {3} inputs, where top-1 agreement says nothing)",
                first.MeanCosine, first.MinCosine, string.Join("x", first.SampleShape), validation.Samples));
    }
}
