using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// C2 (paper 5.2.1, MobileNet ref. [18]): a kh×kw conv Cin → Cout becomes a depthwise kh×kw conv (one filter per
/// channel, original strides/pads/dilations) and a 1×1 pointwise conv to Cout. The width multiplier α scales the
/// channels the depthwise stage works on: a 1×1 reduction Cin → r = ⌈α·Cin⌉ runs first when r &lt; Cin and the
/// chain is then smaller than depthwise-on-Cin (r·(Cin + kh·kw + Cout) &lt; Cin·(kh·kw + Cout)); otherwise the
/// depthwise conv works directly on the Cin input channels (the input and output widths are fixed by the
/// neighbouring layers, so α cannot scale them here).
/// Initial weights are least-squares fits to the original kernel: per input channel the best rank-1 split
/// (SVD) without reduction, a rank-r CP decomposition (alternating least squares) with it.
/// </summary>
public sealed class DepthwiseSeparableTechnique : TechniqueBase
{
    public override string Id => "C2";

    public override string Description => "depthwise-separable conv (width multiplier 0.5)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ConvLayer.Check(index, node, conv => conv.KernelArea == 1 ? $"Conv '{node.Name}' is already a 1x1 (pointwise) convolution" : null);

    /// <summary>Channels of the depthwise stage: ⌈α·Cin⌉ when the reduction pays off, else Cin.</summary>
    public static int DepthwiseChannels(int cin, int cout, int kernelArea, float alpha)
    {
        var r = Math.Clamp((int)Math.Ceiling(alpha * cin), 1, cin);
        return r < cin && (long)r * (cin + kernelArea + cout) < (long)cin * (kernelArea + cout) ? r : cin;
    }

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireFraction(options.WidthMultiplier, nameof(options.WidthMultiplier), oneAllowed: true);

        var conv = ConvLayer.TryDescribe(s.Index, node, out _)!;
        var cin = conv.InChannels;
        var cout = conv.OutChannels;
        var area = conv.KernelArea;
        var r = DepthwiseChannels(cin, cout, area, options.WidthMultiplier);
        var depthwise = new float[r * area];
        var pointwise = new float[cout * r];
        float[]? reduce = null;
        if (r == cin)
        {
            for (var c = 0; c < cin; c++)
            {
                var slice = new double[cout, area];
                for (var o = 0; o < cout; o++)
                {
                    for (var p = 0; p < area; p++)
                    {
                        slice[o, p] = conv.Weight[(o * cin + c) * area + p];
                    }
                }

                var svd = Svd.Compute(slice);
                for (var p = 0; p < area; p++)
                {
                    depthwise[c * area + p] = (float)svd.V[p, 0];
                }

                for (var o = 0; o < cout; o++)
                {
                    pointwise[o * r + c] = (float)(svd.S[0] * svd.U[o, 0]);
                }
            }
        }
        else
        {
            var tensor = new double[cout, cin, area];
            for (var o = 0; o < cout; o++)
            {
                for (var c = 0; c < cin; c++)
                {
                    for (var p = 0; p < area; p++)
                    {
                        tensor[o, c, p] = conv.Weight[(o * cin + c) * area + p];
                    }
                }
            }

            var f = CpDecomposition.Fit(tensor, r, 30, DeterministicRandom.For(options.Seed, node.Name));
            reduce = new float[r * cin];
            for (var j = 0; j < r; j++)
            {
                for (var c = 0; c < cin; c++)
                {
                    reduce[j * cin + c] = (float)f.B[c, j];
                }

                for (var p = 0; p < area; p++)
                {
                    depthwise[j * area + p] = (float)f.C[p, j];
                }

                for (var o = 0; o < cout; o++)
                {
                    pointwise[o * r + j] = (float)f.A[o, j];
                }
            }
        }

        var nodes = new List<NodeProto>();
        var depthwiseInput = conv.Input;
        if (reduce is not null)
        {
            depthwiseInput = s.Fresh(Stem(node, "c2_reduce_out"));
            nodes.Add(NodeFactory.Conv(s, conv.Input, depthwiseInput, Stem(node, "c2_reduce"), reduce, new long[] { r, cin, 1, 1 }, null));
        }

        var depthwiseOut = s.Fresh(Stem(node, "c2_depthwise_out"));
        nodes.Add(NodeFactory.ConvLike(s, conv, depthwiseInput, depthwiseOut, Stem(node, "c2_depthwise"), depthwise,
            new long[] { r, 1, conv.KernelH, conv.KernelW }, null, group: r));
        nodes.Add(NodeFactory.Conv(s, depthwiseOut, node.Output[0], Stem(node, "c2_pointwise"), pointwise,
            new long[] { cout, r, 1, 1 }, conv.Bias));
        s.Replace(node, nodes);
    }
}
