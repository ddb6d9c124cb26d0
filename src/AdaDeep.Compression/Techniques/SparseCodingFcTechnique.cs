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
/// Matching pursuit costs about n·(K·k·m + K³·m/3) operations per pass (K non-zeros per column): seconds on LeNet's
/// fc layers, hours on a MobileNetV3 classifier (1024×576: ~2·10¹⁰ per pass, 11 passes). So the passes are bounded
/// by <see cref="LearnWorkLimit"/> and a layer whose single pass exceeds <see cref="PassWorkLimit"/> is refused.
/// </summary>
public sealed class SparseCodingFcTechnique : TechniqueBase
{
    public override string Id => "W2";

    public override string Description => "sparse-coding factorisation of a fully connected layer (m/6-atom dictionary)";

    public override bool NeedsFineTuning => true;

    /// <summary>Operations one matching-pursuit pass may cost (a few seconds of one core).</summary>
    public const double PassWorkLimit = 3e9;

    /// <summary>Operations the whole dictionary learning may cost; dictionary updates stop earlier past it.</summary>
    public const double LearnWorkLimit = 9e9;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node)
    {
        var verdict = FcLayer.Check(index, node, model.OpsetVersion);
        if (!verdict.CanApply)
        {
            return verdict;
        }

        var fc = FcLayer.TryDescribe(index, node, model.OpsetVersion, out _)!;
        var pass = PassWork(fc.Out, fc.In, TechniqueOptions.Default);
        return pass > PassWorkLimit
            ? Applicability.No($"sparse coding of a {fc.Out}×{fc.In} layer costs about {pass:0.#e0} operations per pass, over W2's bound of {PassWorkLimit:0.#e0}")
            : verdict;
    }

    /// <summary>Matching pursuit's operations for one pass over an m×n weight (see the class remarks).</summary>
    public static double PassWork(int m, int n, TechniqueOptions options)
    {
        var atoms = Math.Max(1, m / Math.Max(1, options.SparseCodingDivisor));
        var nonZeros = Math.Min(atoms, Math.Max(1, (int)Math.Ceiling(options.SparseCodeDensity * atoms)));
        return (double)n * ((double)nonZeros * atoms * m + Math.Pow(nonZeros, 3) * m / 3);
    }

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireAtLeastOne(options.SparseCodingDivisor, nameof(options.SparseCodingDivisor));
        RequireFraction(options.SparseCodeDensity, nameof(options.SparseCodeDensity), oneAllowed: true);

        var fc = FcLayer.TryDescribe(s.Index, node, s.Opset, out _)!;
        var atoms = Math.Max(1, fc.Out / options.SparseCodingDivisor);
        var nonZeros = Math.Max(1, (int)Math.Ceiling(options.SparseCodeDensity * atoms));
        var pass = PassWork(fc.Out, fc.In, options);
        if (pass > PassWorkLimit)
        {
            throw NotApplicable(s.Model, node.Name, $"sparse coding of a {fc.Out}×{fc.In} layer costs about {pass:0.#e0} operations per pass, over W2's bound of {PassWorkLimit:0.#e0}");
        }

        var iterations = Math.Min(Math.Max(0, options.SparseCodingIterations), (int)Math.Floor(LearnWorkLimit / pass) - 1);
        var code = SparseCoder.Learn(fc.Weight, atoms, nonZeros, Math.Max(0, iterations),
            DeterministicRandom.For(options.Seed, node.Name));

        var hidden = s.Fresh(Stem(node, "w2_codes"));
        s.Replace(node, new[]
        {
            NodeFactory.MatMul(s, fc.Input, hidden, Stem(node, "w2_code"), code.Codes),
            NodeFactory.FcLike(s, fc, hidden, node.Output[0], Stem(node, "w2_dictionary"), code.Dictionary),
        });
    }
}
