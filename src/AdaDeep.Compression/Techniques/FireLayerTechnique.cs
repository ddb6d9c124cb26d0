using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// L1 (paper 5.2.1, SqueezeNet ref. [20]): a conv Cin → Cout becomes a Fire module: squeeze 1×1 conv to
/// s = max(1, FireSqueezeRatio·Cout) channels + Relu, then a 1×1 expand conv (⌊Cout/2⌋ channels) and a 3×3 expand
/// conv (pad 1, the rest) concatenated on channels. The output keeps the original spatial size: the squeeze
/// carries the original stride, and the padding the original had beyond what its kernel consumed; when the
/// original pads less than its kernel needs (e.g. a "valid" 5×5 conv), the squeeze kernel grows by that
/// deficit so the size still matches. Initial weights: the squeeze projects on the leading input-channel
/// directions of the kernel (±pairs, so the Relu passes both signs), the expands hold the kernel in that basis
/// (3×3 centre crop, 1×1 sum of taps).
/// </summary>
public sealed class FireLayerTechnique : TechniqueBase
{
    public override string Id => "L1";

    public override string Description => "Fire layer (squeeze 1x1 + expand 1x1/3x3)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ConvLayer.Check(index, node, Requirement);

    private static string? Requirement(ConvLayer conv)
    {
        if (conv.OutChannels < 2)
        {
            return $"Conv '{conv.Node.Name}' has a single output channel; a Fire layer needs two expand branches";
        }

        var autoPad = conv.Node.GetString("auto_pad", "NOTSET");
        return autoPad is "NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER" or "" ? null : $"Conv '{conv.Node.Name}' has an unknown auto_pad '{autoPad}'";
    }

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireFraction(options.FireSqueezeRatio, nameof(options.FireSqueezeRatio), oneAllowed: true);

        var conv = ConvLayer.TryDescribe(s.Index, node, out _)!;
        var cin = conv.InChannels;
        var cout = conv.OutChannels;
        var area = conv.KernelArea;
        var squeeze = Math.Max(1, (int)(options.FireSqueezeRatio * cout));
        var e1 = cout / 2;
        var e3 = cout - e1;
        var geometry = SqueezeGeometry.For(conv);

        // Input-channel basis of the kernel: M[c, (o, p)] = K[o, c, p].
        var m = new double[cin, cout * area];
        for (var o = 0; o < cout; o++)
        {
            for (var c = 0; c < cin; c++)
            {
                for (var p = 0; p < area; p++)
                {
                    m[c, o * area + p] = conv.Weight[(o * cin + c) * area + p];
                }
            }
        }

        var svd = Svd.Truncated(m, squeeze >= 2 ? squeeze / 2 : 1);
        var signed = squeeze >= 2;
        var directions = Math.Min(signed ? squeeze / 2 : 1, svd.Rank);

        var sqH = geometry.KernelH;
        var sqW = geometry.KernelW;
        var squeezeW = new float[squeeze * cin * sqH * sqW];
        var centre = sqH / 2 * sqW + sqW / 2;
        for (var j = 0; j < directions; j++)
        {
            for (var c = 0; c < cin; c++)
            {
                var u = (float)svd.U[c, j];
                squeezeW[(j * cin + c) * sqH * sqW + centre] = u;
                if (signed)
                {
                    squeezeW[((directions + j) * cin + c) * sqH * sqW + centre] = -u;
                }
            }
        }

        // Q[o, j, p]: the kernel of output o seen through basis direction j.
        double Q(int o, int j, int p) => svd.S[j] * svd.V[o * area + p, j];

        var expand1 = new float[e1 * squeeze];
        for (var o = 0; o < e1; o++)
        {
            for (var j = 0; j < directions; j++)
            {
                double sum = 0;
                for (var p = 0; p < area; p++)
                {
                    sum += Q(o, j, p);
                }

                expand1[o * squeeze + j] = (float)sum;
                if (signed)
                {
                    expand1[o * squeeze + directions + j] = (float)-sum;
                }
            }
        }

        var expand3 = new float[e3 * squeeze * 9];
        for (var o = 0; o < e3; o++)
        {
            for (var j = 0; j < directions; j++)
            {
                for (var ty = 0; ty < 3; ty++)
                {
                    for (var tx = 0; tx < 3; tx++)
                    {
                        var y = ty - 1 + (conv.KernelH - 1) / 2;
                        var x = tx - 1 + (conv.KernelW - 1) / 2;
                        if (y < 0 || y >= conv.KernelH || x < 0 || x >= conv.KernelW)
                        {
                            continue;
                        }

                        var v = (float)Q(e1 + o, j, y * conv.KernelW + x);
                        expand3[((o * squeeze + j) * 3 + ty) * 3 + tx] = v;
                        if (signed)
                        {
                            expand3[((o * squeeze + directions + j) * 3 + ty) * 3 + tx] = -v;
                        }
                    }
                }
            }
        }

        var squeezed = s.Fresh(Stem(node, "fire_squeeze_out"));
        var activated = s.Fresh(Stem(node, "fire_squeeze_relu_out"));
        var out1 = s.Fresh(Stem(node, "fire_expand1x1_out"));
        var out3 = s.Fresh(Stem(node, "fire_expand3x3_out"));
        var squeezeNode = NodeFactory.Conv(s, conv.Input, squeezed, Stem(node, "fire_squeeze"), squeezeW,
            new long[] { squeeze, cin, sqH, sqW }, null);
        squeezeNode.SetInts("strides", geometry.Strides);
        squeezeNode.SetInts("pads", geometry.Pads);
        var expand3Node = NodeFactory.Conv(s, activated, out3, Stem(node, "fire_expand3x3"), expand3,
            new long[] { e3, squeeze, 3, 3 }, conv.Bias?[e1..]);
        expand3Node.SetInts("pads", new long[] { 1, 1, 1, 1 });
        var concat = s.NewNode("Concat", Stem(node, "fire_concat"), new[] { out1, out3 }, new[] { node.Output[0] });
        concat.SetInt("axis", 1);
        s.Replace(node, new[]
        {
            squeezeNode,
            NodeFactory.Unary(s, "Relu", squeezed, activated, Stem(node, "fire_squeeze_relu")),
            NodeFactory.Conv(s, activated, out1, Stem(node, "fire_expand1x1"), expand1, new long[] { e1, squeeze, 1, 1 }, conv.Bias?[..e1]),
            expand3Node,
            concat,
        });
    }

    /// <summary>Squeeze conv geometry that reproduces the original conv's output size for every input size.</summary>
    internal sealed record SqueezeGeometry(int KernelH, int KernelW, long[] Strides, long[] Pads)
    {
        public static SqueezeGeometry For(ConvLayer conv)
        {
            var node = conv.Node;
            var strides = node.GetInts("strides", new long[] { 1, 1 });
            var dilations = node.GetInts("dilations", new long[] { 1, 1 });
            var pads = node.GetInts("pads", new long[] { 0, 0, 0, 0 });
            var autoPad = node.GetString("auto_pad", "NOTSET");
            var kernel = new[] { conv.KernelH, conv.KernelW };
            var sqKernel = new int[2];
            var sqPads = new long[4];
            for (var a = 0; a < 2; a++)
            {
                if (autoPad is "SAME_UPPER" or "SAME_LOWER")
                {
                    // Output ceil(H / stride): a 1×1 conv with the same stride and no pads gives exactly that.
                    sqKernel[a] = 1;
                    continue;
                }

                var effective = dilations[a] * (kernel[a] - 1) + 1;
                var padSum = autoPad == "VALID" ? 0 : pads[a] + pads[a + 2];
                var surplus = padSum - (effective - 1);
                if (surplus >= 0)
                {
                    sqKernel[a] = 1;
                    sqPads[a] = surplus / 2;
                    sqPads[a + 2] = surplus - surplus / 2;
                }
                else
                {
                    sqKernel[a] = (int)(1 - surplus);
                }
            }

            return new SqueezeGeometry(sqKernel[0], sqKernel[1], new[] { strides[0], strides[1] }, sqPads);
        }
    }
}
