using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// C1 (paper 5.2.1, Liu et al. "Sparse Convolutional Neural Networks", ref. [32]): two-stage decomposition.
/// Stage 1 projects the Cin input channels onto q = ⌈PcaBasisRatio·Cin⌉ basis channels with a 1×1 conv; the
/// basis is the principal directions of the kernel's input-channel dimension (SVD of K reshaped to
/// [Cin, Cout·kh·kw]). Stage 2 is a kh×kw conv q → Cout (original geometry) whose kernel is the kernel expressed
/// in that basis, with the smallest SparseKernelSparsity fraction of its entries set to zero.
/// With q = Cin and sparsity 0 the rewrite is exact.
/// </summary>
public sealed class SparseConvDecompositionTechnique : TechniqueBase
{
    public override string Id => "C1";

    public override string Description => "sparse conv decomposition: PCA basis 1x1 conv + sparse kxk conv";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ConvLayer.Check(index, node, conv => conv.SeveralInputChannels("channel basis to decompose"));

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireFraction(options.PcaBasisRatio, nameof(options.PcaBasisRatio), oneAllowed: true);
        RequireFraction(options.SparseKernelSparsity, nameof(options.SparseKernelSparsity), zeroAllowed: true);

        var conv = ConvLayer.TryDescribe(s.Index, node, out _)!;
        var cin = conv.InChannels;
        var cout = conv.OutChannels;
        var area = conv.KernelArea;
        var q = Math.Clamp((int)Math.Ceiling(options.PcaBasisRatio * cin), 1, cin);

        // M[c, (o, s)] = K[o, c, s]: rows are input channels.
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

        var svd = Svd.Truncated(m, q);
        var basis = new float[q * cin]; // 1×1 conv [q, Cin]: row j = j-th principal direction
        var kernel = new float[cout * q * area]; // [Cout, q, kh, kw]: coordinates of K in the basis
        for (var j = 0; j < q; j++)
        {
            var usable = j < svd.Rank;
            for (var c = 0; c < cin; c++)
            {
                basis[j * cin + c] = usable ? (float)svd.U[c, j] : 0f;
            }

            for (var o = 0; o < cout; o++)
            {
                for (var p = 0; p < area; p++)
                {
                    kernel[(o * q + j) * area + p] = usable ? (float)(svd.S[j] * svd.V[o * area + p, j]) : 0f;
                }
            }
        }

        var sparse = MagnitudePruningTechnique.Prune(kernel, 0f, options.SparseKernelSparsity);
        var projected = s.Fresh(Stem(node, "c1_basis_out"));
        var basisNode = NodeFactory.Conv(s, conv.Input, projected, Stem(node, "c1_basis"), basis, new long[] { q, cin, 1, 1 }, null);
        var sparseNode = NodeFactory.ConvLike(s, conv, projected, node.Output[0], Stem(node, "c1_sparse"), sparse,
            new long[] { cout, q, conv.KernelH, conv.KernelW }, conv.Bias);
        MagnitudePruningTechnique.MarkKeepZeros(s.Graph.Initializer.First(i => i.Name == sparseNode.Input[1]));
        s.Replace(node, new[] { basisNode, sparseNode });
    }
}
