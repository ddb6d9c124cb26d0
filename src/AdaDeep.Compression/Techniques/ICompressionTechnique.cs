using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Techniques;

/// <summary>Whether a technique can rewrite a given layer, and if not, why.</summary>
public sealed record Applicability(bool CanApply, string Reason)
{
    public static Applicability Yes { get; } = new(true, "");

    public static Applicability No(string reason) => new(false, reason);
}

/// <summary>
/// One compression technique (paper 5.2.1 and beyond): a rewrite of one layer of an ONNX graph that leaves a
/// valid model that runs in ONNX Runtime with the same output shapes. Apply never changes its input model.
/// </summary>
public interface ICompressionTechnique
{
    /// <summary>
    /// Stable id used on the command line and in reports. The paper's ten: W1f, W1c, W2, W3, C1, C2, C3, L1, L2, L3;
    /// beyond the paper: Q8W (int8 weights), Q8 (QDQ with calibration), P1 (channel pruning), BN (batch-norm folding).
    /// <see cref="TechniqueRegistry"/> lists them all.
    /// </summary>
    string Id { get; }

    string Description { get; }

    /// <summary>True when the rewrite changes the architecture or weights enough that fine-tuning is needed.</summary>
    bool NeedsFineTuning { get; }

    /// <summary>Can this technique rewrite the node named <paramref name="nodeName"/> of <paramref name="model"/>?</summary>
    Applicability CanApply(OnnxModel model, string nodeName);

    /// <summary>Returns a rewritten copy; throws AdaDeepException(TechniqueNotApplicable) when CanApply says no.</summary>
    OnnxModel Apply(OnnxModel model, string nodeName, TechniqueOptions options);

    /// <summary>
    /// The layers one <see cref="Apply"/> at <paramref name="nodeName"/> rewrites (the node itself, or P1's whole
    /// dependency group), so a caller applying the technique to several layers never rewrites one of them twice.
    /// </summary>
    IReadOnlyList<string> LayersCovered(OnnxModel model, string nodeName) => new[] { nodeName };
}
