using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>A 2-D Conv with a constant weight [M, C/group, kh, kw] and optional constant bias [M].</summary>
internal sealed record ConvLayer(NodeProto Node, string Input, float[] Weight, int OutChannels, int InPerGroup, int KernelH, int KernelW, float[]? Bias, int Group)
{
    public int InChannels => InPerGroup * Group;

    public int KernelArea => KernelH * KernelW;

    /// <summary>The kernel as an M × (C·kh·kw) matrix (group = 1).</summary>
    public double[,] WeightMatrix() => Linalg.DenseAlgebra.FromFloats(Weight, OutChannels, InPerGroup * KernelArea);

    public float W(int o, int c, int y, int x) => Weight[((o * InPerGroup + c) * KernelH + y) * KernelW + x];

    /// <summary>
    /// The applicability check of a technique that rewrites a Conv: No with <see cref="TryDescribe"/>'s reason when
    /// the node is not a Conv AdaDeep can rewrite, else No with the reason <paramref name="requirement"/> gives (null:
    /// met), else Yes.
    /// </summary>
    public static Applicability Check(GraphIndex index, NodeProto node, Func<ConvLayer, string?>? requirement = null, bool allowGrouped = false)
    {
        var conv = TryDescribe(index, node, out var reason, allowGrouped);
        if (conv is null)
        {
            return Applicability.No(reason);
        }

        return requirement?.Invoke(conv) is { } refusal ? Applicability.No(refusal) : Applicability.Yes;
    }

    /// <summary>
    /// A requirement for <see cref="Check"/> of the techniques that act across input channels: null when the Conv
    /// reads at least two, else why there is nothing to act on (<paramref name="missing"/>: what the technique lacks).
    /// </summary>
    public string? SeveralInputChannels(string missing) =>
        InChannels >= 2 ? null : $"Conv '{Node.Name}' has {InChannels} input channel{(InChannels == 1 ? "" : "s")}; there is no {missing}";

    public static ConvLayer? TryDescribe(GraphIndex index, NodeProto node, out string reason, bool allowGrouped = false)
    {
        reason = "";
        if (node.OpType != "Conv" || !string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
        {
            reason = $"'{node.Name}' is a {node.OpType}, not a Conv";
            return null;
        }

        if (node.Input.Count < 2)
        {
            reason = $"Conv '{node.Name}' has no weight input";
            return null;
        }

        var w = Constants.TryFloat(index, node.Input[1]);
        if (w is null)
        {
            reason = $"the weight of Conv '{node.Name}' is not a constant float tensor";
            return null;
        }

        if (w.Dims.Length != 4)
        {
            reason = $"Conv '{node.Name}' is {w.Dims.Length - 2}-D; AdaDeep rewrites 2-D convolutions only";
            return null;
        }

        var group = (int)node.GetInt("group", 1);
        if (group != 1 && !allowGrouped)
        {
            reason = $"Conv '{node.Name}' is a grouped convolution (group = {group})";
            return null;
        }

        float[]? bias = null;
        if (node.Input.Count >= 3 && node.Input[2].Length > 0)
        {
            var b = Constants.TryFloat(index, node.Input[2]);
            if (b is null || b.Count != w.Dims[0])
            {
                reason = $"the bias of Conv '{node.Name}' is not a constant vector of {w.Dims[0]} values";
                return null;
            }

            bias = b.Values;
        }

        return new ConvLayer(node, node.Input[0], w.Values, (int)w.Dims[0], (int)w.Dims[1], (int)w.Dims[2], (int)w.Dims[3], bias, group);
    }
}
