namespace AdaDeep.Compression.Techniques;

/// <summary>
/// Calibration inputs for static quantisation (Q8): batches for the model's first input, row-major float32.
/// <see cref="InputShape"/> gives one batch's full shape; when null it is taken from the model's input with
/// its one symbolic (or zero) dimension inferred from each batch's length.
/// </summary>
public sealed record CalibrationData(IReadOnlyList<float[]> Batches, int[]? InputShape = null)
{
    /// <summary>The calibration samples with every input's values; set for models with more than one runtime input,
    /// whose other inputs the batches cannot carry (the calibrator then runs these samples instead).</summary>
    public AdaDeep.Compression.Data.Dataset? Samples { get; init; }
}
