using System.Globalization;
using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Pinning free input dimensions (<see cref="InputShapes.Pin"/>) lets shape inference, costs and ONNX Runtime see the
/// real sizes, but ORT checks every branch of the pinned copy when it loads it: an If branch that never runs at that
/// size (a Squeeze of the state's batch axis, only taken for another sample rate) makes ORT refuse a model it runs as
/// given. The tool must not refuse a model because of its own rewrite, so when ORT refuses the pinned copy (load or
/// first run) and accepts the original on the same data, the dimensions ORT refuses pinned are left free (each tried
/// alone; if the rest still fails, all), with an ADA1103 warning naming each. When the original is refused too, its own
/// error (ADA1102 load, ADA1101 run) stands: the refusal is the model's, not the pin's.
/// </summary>
public static class PinnedShapeFallback
{
    public static InputShapes Check(OnnxModel model, InputShapes shapes, Dataset data, string file, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!shapes.PinsAnything || data.Count == 0)
        {
            return shapes;
        }

        var sample = data.Take(1);
        if (Refusal(shapes.Pin(model), sample) is not { } refusal)
        {
            return shapes;
        }

        if (Refusal(model, sample) is { } own)
        {
            throw own; // the model as given fails too: that is the real cause
        }

        var pinned = shapes.PinnedDims(model);
        var refused = pinned
            .Where(d => Refusal(shapes.LeavingFree(model, pinned.Where(p => p != d).Select(p => (p.Input, p.Dim))).Pin(model), sample) is not null)
            .ToList();
        var fallback = shapes.LeavingFree(model, refused.Select(d => (d.Input, d.Dim)));
        if (fallback.PinsAnything && Refusal(fallback.Pin(model), sample) is not null)
        {
            refused = pinned.ToList(); // no single dimension is to blame: only their combination; pin none
            fallback = shapes.LeavingFree(model, pinned.Select(d => (d.Input, d.Dim)));
        }

        foreach (var (input, dim, size) in refused)
        {
            warnings.Add(string.Format(CultureInfo.InvariantCulture,
                "{0}: warning {1}: ONNX Runtime refuses the model with input '{2}' dimension {3} pinned to {4} although it runs the model as given ({5}); that dimension stays free in the working copy, so costs count it as 1",
                file, ErrorCodes.ModelPinnedShapeRefused, input, dim, size, refusal.Message));
        }

        return fallback;
    }

    /// <summary>ORT's refusal of <paramref name="model"/> when loading it or running it on one sample, or null.</summary>
    private static AdaDeepException? Refusal(OnnxModel model, Dataset sample)
    {
        try
        {
            using var runner = new OrtModelRunner(model);
            runner.RunAll(sample); // every output: a model whose first output is not per sample still runs
            return null;
        }
        catch (AdaDeepException e) when (e.Code is ErrorCodes.ModelRuntimeRefused or ErrorCodes.ModelRunFailed)
        {
            return e;
        }
    }
}
