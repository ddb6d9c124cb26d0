using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Normalization;

/// <summary>
/// Puts an exported inference graph into the form the techniques rewrite: inference Dropouts removed, and an old opset
/// that the techniques cannot simply raise (int8 weights need 10, per-channel scales and packing 13) converted to
/// <see cref="TargetOpset"/>. Every step keeps the model's outputs; a model it cannot convert is returned with the
/// reason, and the techniques then refuse as before, naming it.
/// </summary>
public static class GraphNormalizer
{
    /// <summary>The opset an old export is converted to: the newest that every technique and decoder here needs.</summary>
    public const long TargetOpset = 13;

    public static NormalizeResult Normalize(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var from = model.OpsetVersion;
        // A session clones the model: only when there is a Dropout to remove (a 244 MB AlexNet is cloned otherwise).
        var dropouts = 0;
        var cleaned = model;
        if (model.Graph.Node.Any(n => n.OpType == "Dropout"))
        {
            var session = new RewriteSession(model);
            dropouts = DropoutRemoval.Apply(session);
            cleaned = dropouts > 0 ? session.Finish() : model;
        }

        // Only where a plain raise is unsafe: models the techniques can raise themselves keep their opset.
        if (from == 0 || OpsetCompatibility.CanRaise(cleaned, TargetOpset, out _))
        {
            return new NormalizeResult(cleaned, dropouts, from, from, null);
        }

        var upgrade = new RewriteSession(cleaned);
        var reason = OpsetUpgrade.Apply(upgrade, TargetOpset, TryInferShapes(cleaned));
        return reason is null
            ? new NormalizeResult(upgrade.Finish(), dropouts, from, TargetOpset, null)
            : new NormalizeResult(cleaned, dropouts, from, from, reason);
    }

    private static IReadOnlyDictionary<string, long[]> TryInferShapes(OnnxModel model)
    {
        try
        {
            return ShapeInference.Infer(model);
        }
        catch (AdaDeepException)
        {
            return new Dictionary<string, long[]>();
        }
    }
}
