using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The last gate before anything is written: the compressed model must load in ONNX Runtime, run on real
/// samples, and give outputs of the original model's shape. A model that fails here is never shipped.
/// </summary>
public static class OrtValidation
{
    public const int Samples = 8;

    public static void Check(OnnxModel original, OnnxModel compressed, Dataset data)
    {
        var sample = data.Take(Math.Min(Samples, data.Count));
        ModelOutputs expected, actual;
        try
        {
            using var reference = new OrtModelRunner(original);
            using var candidate = new OrtModelRunner(compressed);
            expected = reference.Run(sample);
            actual = candidate.Run(sample);
        }
        catch (Exception e) when (e is not AdaDeepException and not OperationCanceledException)
        {
            throw new AdaDeepException(ErrorCodes.Internal,
                $"the compressed model does not run in ONNX Runtime ({e.Message}); nothing was written", original.SourcePath, e);
        }

        if (!expected.SampleShape.SequenceEqual(actual.SampleShape) || expected.Count != actual.Count)
        {
            throw new AdaDeepException(ErrorCodes.Internal,
                $"the compressed model's output shape [{string.Join(",", actual.SampleShape)}] differs from the original's [{string.Join(",", expected.SampleShape)}]; nothing was written",
                original.SourcePath);
        }

        if (actual.Values.Any(v => !float.IsFinite(v)))
        {
            throw new AdaDeepException(ErrorCodes.Internal,
                "the compressed model's outputs are not finite (NaN or infinity); nothing was written", original.SourcePath);
        }
    }
}
