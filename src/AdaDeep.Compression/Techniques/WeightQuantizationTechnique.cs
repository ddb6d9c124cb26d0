using AdaDeep.Compression.Techniques.Quantization;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// Q8W (beyond the paper): int8 weight-only quantisation of a Conv, Gemm or MatMul weight, for storage. The weight
/// is stored as int8 (symmetric, zero point 0) with a float scale per output channel, and Mul(Cast(int8), scale)
/// feeds the layer: constants that ONNX Runtime folds to the fp32 weight when the session is created, so the model
/// runs as fast as the float one (a DequantizeLinear would run at every inference: cifar10-cnn 0.177 → 0.268 ms).
/// The opset is raised to 10 (IR 5, so that ShippingForm can make the weights constants ORT may fold) when every
/// operator keeps its meaning (see OpsetCompatibility); otherwise the technique refuses.
/// </summary>
public sealed class WeightQuantizationTechnique : TechniqueBase
{
    public override string Id => "Q8W";

    public override string Description => "int8 weight-only quantisation (per output channel)";

    public override bool NeedsFineTuning => false;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node)
    {
        var layer = QuantizableLayer(model, index, node);
        if (!layer.CanApply)
        {
            return layer;
        }

        return OpsetCompatibility.CanRaise(model, 10, out var reason) ? Applicability.Yes : Applicability.No(reason);
    }

    /// <summary>
    /// Q8W on every Conv, fc and recurrent layer whose weights are still constant floats, in one rewrite (one clone of
    /// the model, not one per layer); the model itself when none is, or when opset 10 is out of reach.
    /// <paramref name="opTypes"/> narrows it to those operators (null: all of them).
    /// </summary>
    /// <summary>The recurrent operators, which k-means shared weights (<see cref="WeightSharing"/>) do not cover.</summary>
    public static readonly IReadOnlyCollection<string> RecurrentOps = new[] { "GRU", "LSTM", "RNN" };

    public static OnnxModel ApplyToAll(OnnxModel model, TechniqueOptions options, IReadOnlyCollection<string>? opTypes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        if (!OpsetCompatibility.CanRaise(model, 10, out _))
        {
            return model;
        }

        var index = new GraphIndex(model.Graph);
        var positions = Enumerable.Range(0, model.Graph.Node.Count)
            .Where(i => model.Graph.Node[i] is var n && n.OpType is "Conv" or "Gemm" or "MatMul" or "GRU" or "LSTM" or "RNN"
                        && (opTypes is null || opTypes.Contains(n.OpType)) && QuantizableLayer(model, index, n).CanApply)
            .ToArray();
        if (positions.Length == 0)
        {
            return model;
        }

        // The session's graph is a clone in the same order: positions pick the same nodes (names may repeat or be empty).
        var session = new RewriteSession(model);
        var technique = new WeightQuantizationTechnique();
        foreach (var node in positions.Select(i => session.Graph.Node[i]).ToList())
        {
            technique.Rewrite(session, node, options);
        }

        return session.Finish();
    }

    internal static Applicability QuantizableLayer(OnnxModel model, GraphIndex index, NodeProto node)
    {
        string reason;
        if (node.OpType is "GRU" or "LSTM" or "RNN")
        {
            return RecurrentWeights(index, node, out reason) ? Applicability.Yes : Applicability.No(reason);
        }

        if (node.OpType == "Conv")
        {
            return ConvLayer.TryDescribe(index, node, out reason, allowGrouped: true) is null ? Applicability.No(reason) : Applicability.Yes;
        }

        return FcLayer.TryDescribe(index, node, model.OpsetVersion, out reason) is null ? Applicability.No(reason) : Applicability.Yes;
    }

    /// <summary>Raises the opset as far as the quantisation needs; returns whether per-channel scales are possible.</summary>
    internal static bool PrepareOpset(RewriteSession s, bool wantPerChannel)
    {
        var perChannel = wantPerChannel && OpsetCompatibility.CanRaise(s.Model, 13, out _);
        OpsetCompatibility.Raise(s.Model, perChannel ? 13 : 10);
        return perChannel;
    }

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        OpsetCompatibility.Raise(s.Model, 10);
        if (node.OpType is "GRU" or "LSTM" or "RNN")
        {
            // W [directions, gates·hidden, input] and R [directions, gates·hidden, hidden]: one scale per gate row.
            WeightQuantizer.QuantizeInputFolded(s, node, 1, 1, options.QuantizePerChannel, Stem(node, "q8w_w"));
            WeightQuantizer.QuantizeInputFolded(s, node, 2, 1, options.QuantizePerChannel, Stem(node, "q8w_r"));
            return;
        }

        WeightQuantizer.QuantizeInputFolded(s, node, 1, WeightQuantizer.OutputAxis(node), options.QuantizePerChannel, Stem(node, "q8w_weight"));
    }

    /// <summary>A recurrent layer's input (W) and recurrent (R) weights are constant float tensors of rank 3.</summary>
    private static bool RecurrentWeights(GraphIndex index, NodeProto node, out string reason)
    {
        reason = "";
        foreach (var (input, role) in new[] { (1, "input weight W"), (2, "recurrent weight R") })
        {
            if (node.Input.Count <= input || Constants.TryFloat(index, node.Input[input]) is not { Dims.Length: 3 })
            {
                reason = $"{node.OpType} '{node.Name}' has no constant 3-D float {role}";
                return false;
            }
        }

        return true;
    }
}
