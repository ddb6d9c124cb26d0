using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// BN (beyond the paper): folds an inference-mode BatchNormalization that directly follows a Conv into the
/// conv's weight and bias: W' = W·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β. Exact up to float
/// rounding. Accepts the Conv's name or the BatchNormalization's name.
/// </summary>
public sealed class BatchNormFoldingTechnique : TechniqueBase
{
    public override string Id => "BN";

    public override string Description => "fold a BatchNormalization into the preceding conv";

    public override bool NeedsFineTuning => false;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        Pair(index, node, out var reason) is null ? Applicability.No(reason) : Applicability.Yes;

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        var (conv, bn) = Pair(s.Index, node, out _)!.Value;
        var layer = ConvLayer.TryDescribe(s.Index, conv, out _, allowGrouped: true)!;
        var gamma = Constants.TryFloat(s.Index, bn.Input[1])!.Values;
        var beta = Constants.TryFloat(s.Index, bn.Input[2])!.Values;
        var mean = Constants.TryFloat(s.Index, bn.Input[3])!.Values;
        var variance = Constants.TryFloat(s.Index, bn.Input[4])!.Values;
        var epsilon = bn.GetFloat("epsilon", 1e-5f);
        var m = layer.OutChannels;
        var per = layer.Weight.Length / m;
        var weight = new float[layer.Weight.Length];
        var bias = new float[m];
        for (var o = 0; o < m; o++)
        {
            var a = gamma[o] / Math.Sqrt(variance[o] + (double)epsilon);
            for (var i = 0; i < per; i++)
            {
                weight[o * per + i] = (float)(layer.Weight[o * per + i] * a);
            }

            bias[o] = (float)(((layer.Bias?[o] ?? 0f) - mean[o]) * a + beta[o]);
        }

        var stem = Stem(conv, "bn_folded");
        RewriteSession.SetInput(conv, 1, s.AddFloats(stem + "_weight", new long[] { m, layer.InPerGroup, layer.KernelH, layer.KernelW }, weight));
        RewriteSession.SetInput(conv, 2, s.AddFloats(stem + "_bias", new long[] { m }, bias));
        s.ForgetShape(conv.Output[0]);
        conv.Output[0] = bn.Output[0];
        s.Remove(bn);
    }

    private static (NodeProto Conv, NodeProto Bn)? Pair(GraphIndex index, NodeProto node, out string reason)
    {
        NodeProto? conv, bn;
        if (node.OpType == "BatchNormalization")
        {
            bn = node;
            conv = index.Producer(node.Input[0]);
        }
        else if (node.OpType == "Conv")
        {
            conv = node;
            var consumers = index.Consumers(node.Output[0]);
            bn = consumers.Count == 1 ? consumers[0] : null;
        }
        else
        {
            reason = $"'{node.Name}' is a {node.OpType}; BN folds a BatchNormalization into the Conv before it";
            return null;
        }

        if (conv?.OpType != "Conv" || bn?.OpType != "BatchNormalization" || bn.Input[0] != conv.Output[0])
        {
            reason = $"'{node.Name}' is not part of a Conv directly followed by a BatchNormalization";
            return null;
        }

        if (index.Consumers(conv.Output[0]).Count != 1 || index.IsGraphOutput(conv.Output[0]))
        {
            reason = $"the output of Conv '{conv.Name}' is used besides the BatchNormalization";
            return null;
        }

        if (ConvLayer.TryDescribe(index, conv, out reason, allowGrouped: true) is not { } layer)
        {
            return null;
        }

        if (bn.GetInt("training_mode", 0) != 0 || bn.GetInt("spatial", 1) != 1 ||
            bn.Output.Skip(1).Any(o => o.Length > 0 && (index.Consumers(o).Count > 0 || index.IsGraphOutput(o))))
        {
            reason = $"BatchNormalization '{bn.Name}' is not in inference mode (or not spatial)";
            return null;
        }

        for (var i = 1; i <= 4; i++)
        {
            if (bn.Input.Count <= i || Constants.TryFloat(index, bn.Input[i]) is not { } t || t.Count != layer.OutChannels)
            {
                reason = $"BatchNormalization '{bn.Name}' does not have constant per-channel parameters for {layer.OutChannels} channels";
                return null;
            }
        }

        reason = "";
        return (conv, bn);
    }
}
