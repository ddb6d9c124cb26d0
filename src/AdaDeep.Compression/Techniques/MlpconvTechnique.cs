using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// L2 (paper 5.2.1, Network in Network ref. [31]): a conv Cin → Cout becomes an Mlpconv micro-network:
/// kh×kw conv Cin → c' (original geometry, c' = max(1, MlpconvWidthRatio·Cout)) + Relu + 1×1 conv c' → c' + Relu
/// + 1×1 conv c' → Cout. Initial weights make the whole block equal to the rank-⌊c'/2⌋ SVD approximation of the
/// original conv: the first conv emits ±pairs of the leading components (so both Relus pass them), the middle
/// conv is the identity, and the last recombines the pairs with the left singular vectors.
/// </summary>
public sealed class MlpconvTechnique : TechniqueBase
{
    public override string Id => "L2";

    public override string Description => "Mlpconv micro-network (kxk conv + two 1x1 convs)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ConvLayer.Check(index, node);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireFraction(options.MlpconvWidthRatio, nameof(options.MlpconvWidthRatio), oneAllowed: true);

        var conv = ConvLayer.TryDescribe(s.Index, node, out _)!;
        var cin = conv.InChannels;
        var cout = conv.OutChannels;
        var cols = cin * conv.KernelArea;
        var hidden = Math.Max(1, (int)(options.MlpconvWidthRatio * cout));
        var signed = hidden >= 2;
        var svd = Svd.Truncated(conv.WeightMatrix(), signed ? hidden / 2 : 1);
        var rank = Math.Min(signed ? hidden / 2 : 1, svd.Rank);

        var first = new float[hidden * cols];
        var last = new float[cout * hidden];
        for (var j = 0; j < rank; j++)
        {
            var root = Math.Sqrt(svd.S[j]);
            for (var c = 0; c < cols; c++)
            {
                var v = (float)(root * svd.V[c, j]);
                first[j * cols + c] = v;
                if (signed)
                {
                    first[(rank + j) * cols + c] = -v;
                }
            }

            for (var o = 0; o < cout; o++)
            {
                var u = (float)(root * svd.U[o, j]);
                last[o * hidden + j] = u;
                if (signed)
                {
                    last[o * hidden + rank + j] = -u;
                }
            }
        }

        var middle = new float[hidden * hidden];
        for (var j = 0; j < hidden; j++)
        {
            middle[j * hidden + j] = 1;
        }

        var a1 = s.Fresh(Stem(node, "mlpconv_conv_out"));
        var r1 = s.Fresh(Stem(node, "mlpconv_relu1_out"));
        var a2 = s.Fresh(Stem(node, "mlpconv_cccp1_out"));
        var r2 = s.Fresh(Stem(node, "mlpconv_relu2_out"));
        s.Replace(node, new[]
        {
            NodeFactory.ConvLike(s, conv, conv.Input, a1, Stem(node, "mlpconv_conv"), first,
                new long[] { hidden, cin, conv.KernelH, conv.KernelW }, null),
            NodeFactory.Unary(s, "Relu", a1, r1, Stem(node, "mlpconv_relu1")),
            NodeFactory.Conv(s, r1, a2, Stem(node, "mlpconv_cccp1"), middle, new long[] { hidden, hidden, 1, 1 }, null),
            NodeFactory.Unary(s, "Relu", a2, r2, Stem(node, "mlpconv_relu2")),
            NodeFactory.Conv(s, r2, node.Output[0], Stem(node, "mlpconv_cccp2"), last, new long[] { cout, hidden, 1, 1 }, conv.Bias),
        });
    }
}
