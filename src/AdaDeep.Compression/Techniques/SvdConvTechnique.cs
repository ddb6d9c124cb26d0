using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// W1c (paper 5.2.1, ref. [25]): a conv with m output channels becomes a conv with k = max(1, m / SvdRankDivisor)
/// output channels (same kernel, strides, pads, dilations) followed by a 1×1 conv back to m channels, both from
/// the truncated SVD of the kernel reshaped to [m, Cin·kh·kw]. Parameters drop from m·Cin·kh·kw to k·(Cin·kh·kw + m).
/// </summary>
public sealed class SvdConvTechnique : TechniqueBase
{
    public override string Id => "W1c";

    public override string Description => "SVD factorisation of a conv into a rank-m/12 conv and a 1x1 conv";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ConvLayer.Check(index, node);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireAtLeastOne(options.SvdRankDivisor, nameof(options.SvdRankDivisor));

        var conv = ConvLayer.TryDescribe(s.Index, node, out _)!;
        var cols = conv.InChannels * conv.KernelArea;
        var k = RankFor(conv.OutChannels, options.SvdRankDivisor, Math.Min(conv.OutChannels, cols));
        var svd = Svd.Truncated(conv.WeightMatrix(), k);
        var first = new float[k * cols];
        var second = new float[conv.OutChannels * k];
        for (var r = 0; r < k; r++)
        {
            var root = Math.Sqrt(svd.S[r]);
            for (var j = 0; j < cols; j++)
            {
                first[r * cols + j] = (float)(root * svd.V[j, r]);
            }

            for (var o = 0; o < conv.OutChannels; o++)
            {
                second[o * k + r] = (float)(root * svd.U[o, r]);
            }
        }

        var hidden = s.Fresh(Stem(node, "w1c_hidden"));
        s.Replace(node, new[]
        {
            NodeFactory.ConvLike(s, conv, conv.Input, hidden, Stem(node, "w1c_basis"), first,
                new long[] { k, conv.InChannels, conv.KernelH, conv.KernelW }, null),
            NodeFactory.Conv(s, hidden, node.Output[0], Stem(node, "w1c_mix"), second,
                new long[] { conv.OutChannels, k, 1, 1 }, conv.Bias),
        });
    }
}
