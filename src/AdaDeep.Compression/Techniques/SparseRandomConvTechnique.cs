using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// C3 (paper 5.2.1, Changpinyo et al. ref. [7]): sparse random connections between channels. Each output channel
/// keeps a seeded random set of max(1, ⌈(1 − θ)·Cin⌉) input channels (θ = 0.75 removes three quarters of the
/// connections); the kh×kw filters of the removed connections become exact zeros. The graph keeps the dense
/// masked kernel (fine-tunable, tagged "adadeep.keep_zeros"); <see cref="Packing.WeightPacker"/> makes the
/// saving real in the file.
/// </summary>
public sealed class SparseRandomConvTechnique : TechniqueBase
{
    public override string Id => "C3";

    public override string Description => "sparse random channel connections (theta = 0.75)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ConvLayer.Check(index, node, conv => conv.SeveralInputChannels("connection between channels to remove"));

    /// <summary>Input channels each output channel keeps.</summary>
    public static int KeptInputs(int cin, float theta) => Math.Clamp((int)Math.Ceiling((1 - theta) * cin - 1e-9), 1, cin);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireFraction(options.SparseRandomTheta, nameof(options.SparseRandomTheta), zeroAllowed: true);

        var conv = ConvLayer.TryDescribe(s.Index, node, out _)!;
        var cin = conv.InChannels;
        var area = conv.KernelArea;
        var keep = KeptInputs(cin, options.SparseRandomTheta);
        var rng = DeterministicRandom.For(options.Seed, node.Name);
        var masked = new float[conv.Weight.Length];
        for (var o = 0; o < conv.OutChannels; o++)
        {
            foreach (var c in rng.Sample(cin, keep))
            {
                Array.Copy(conv.Weight, (o * cin + c) * area, masked, (o * cin + c) * area, area);
            }
        }

        var name = s.AddFloats(Stem(node, "c3_weight"), new long[] { conv.OutChannels, cin, conv.KernelH, conv.KernelW }, masked);
        MagnitudePruningTechnique.MarkKeepZeros(s.Graph.Initializer.Last());
        RewriteSession.SetInput(node, 1, name);
    }
}
