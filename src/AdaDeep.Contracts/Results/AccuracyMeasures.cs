namespace AdaDeep.Engine.Pipeline;

/// <summary>The values of <see cref="CompressResult.AccuracyMeasure"/>: which figure a summary headlines for accuracy.</summary>
public static class AccuracyMeasures
{
    /// <summary>Labelled data: accuracy before → after.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>No labels, class scores: top-1 agreement with the original.</summary>
    public const string Agreement = "agreement";

    /// <summary>No labels, a dense output: cosine similarity of the outputs to the original's.</summary>
    public const string Cosine = "cosine";

    /// <summary>No figure means anything (ADA3604, or the output could not be compared): the reason instead of a number.</summary>
    public const string NotMeasured = "not measured";

    /// <summary>True when a percentage of agreement must not be shown for this measure.</summary>
    public static bool ReplacesPercentage(string? measure) => measure is Cosine or NotMeasured;
}
