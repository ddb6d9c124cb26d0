using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// W1f (paper 5.2.1, ref. [25]): an fc layer W (m outputs × n inputs) becomes two fc layers through a k-neuron
/// bottleneck, k = max(1, m / SvdRankDivisor), initialised from the truncated SVD W ≈ (U_k·√S)(√S·V_kᵀ).
/// Parameters drop from m·n to k·(m + n).
/// </summary>
public sealed class SvdFcTechnique : TechniqueBase
{
    public override string Id => "W1f";

    public override string Description => "SVD factorisation of a fully connected layer into two (rank m/12)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        FcLayer.Check(index, node, model.OpsetVersion);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireAtLeastOne(options.SvdRankDivisor, nameof(options.SvdRankDivisor));

        var fc = FcLayer.TryDescribe(s.Index, node, s.Opset, out _)!;
        var k = RankFor(fc.Out, options.SvdRankDivisor, Math.Min(fc.Out, fc.In));
        var svd = Svd.Truncated(fc.Weight, k);
        var first = new double[k, fc.In]; // √S·V_kᵀ
        var second = new double[fc.Out, k]; // U_k·√S
        for (var r = 0; r < k; r++)
        {
            var root = Math.Sqrt(svd.S[r]);
            for (var i = 0; i < fc.In; i++)
            {
                first[r, i] = root * svd.V[i, r];
            }

            for (var o = 0; o < fc.Out; o++)
            {
                second[o, r] = root * svd.U[o, r];
            }
        }

        var hidden = s.Fresh(Stem(node, "w1f_hidden"));
        s.Replace(node, new[]
        {
            NodeFactory.MatMul(s, fc.Input, hidden, Stem(node, "w1f_in"), first),
            NodeFactory.FcLike(s, fc, hidden, node.Output[0], Stem(node, "w1f_out"), second),
        });
    }
}
