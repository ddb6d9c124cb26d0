using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// W2 (paper 5.2.1, SparseSep ref. [6]): an fc layer W (m × n) becomes h = Z·x (sparse codes, k × n) followed by
/// y = D·h + b (a k-atom dictionary, m × k), k = max(1, m / SparseCodingDivisor). Each input column of W uses at
/// most ⌈density·k⌉ atoms, so Z is mostly exact zeros; the graph stays dense float (so it can be fine-tuned) and
/// <see cref="Packing.WeightPacker"/> stores Z compactly at the end.
/// </summary>
public sealed class SparseCodingFcTechnique : TechniqueBase
{
    public override string Id => "W2";

    public override string Description => "sparse-coding factorisation of a fully connected layer (m/6-atom dictionary)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        FcLayer.Check(index, node, model.OpsetVersion);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireAtLeastOne(options.SparseCodingDivisor, nameof(options.SparseCodingDivisor));
        RequireFraction(options.SparseCodeDensity, nameof(options.SparseCodeDensity), oneAllowed: true);

        var fc = FcLayer.TryDescribe(s.Index, node, s.Opset, out _)!;
        var atoms = Math.Max(1, fc.Out / options.SparseCodingDivisor);
        var nonZeros = Math.Max(1, (int)Math.Ceiling(options.SparseCodeDensity * atoms));
        var code = SparseCoder.Learn(fc.Weight, atoms, nonZeros, Math.Max(0, options.SparseCodingIterations),
            DeterministicRandom.For(options.Seed, node.Name));

        var hidden = s.Fresh(Stem(node, "w2_codes"));
        s.Replace(node, new[]
        {
            NodeFactory.MatMul(s, fc.Input, hidden, Stem(node, "w2_code"), code.Codes),
            NodeFactory.FcLike(s, fc, hidden, node.Output[0], Stem(node, "w2_dictionary"), code.Dictionary),
        });
    }
}
