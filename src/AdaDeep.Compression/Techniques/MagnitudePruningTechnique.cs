using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// W3 (paper 5.2.1, Han et al. ref. [16]): magnitude pruning. Weights with |w| &lt; PruneThreshold (paper 0.001)
/// become exact zeros; with PruneSparsity = p the smallest fraction p is pruned instead (0.001 prunes almost
/// nothing in small trained nets). Applies to fc layers (Gemm/MatMul) and convs. The graph stays dense float;
/// <see cref="Packing.WeightPacker"/> turns the zeros into real savings. The pruned tensor carries the
/// metadata "adadeep.keep_zeros" so fine-tuning can keep the pruned weights at zero.
/// A level variant ("W3@95": prune 95 % of the layer's weights, whatever the options say) lets the search choose
/// each layer's sparsity (Deep Compression pruned LeNet's layers to 8–66 % density); see <see cref="TechniqueRegistry.TryGet"/>.
/// </summary>
public sealed class MagnitudePruningTechnique : TechniqueBase
{
    public const string KeepZerosKey = "adadeep.keep_zeros";

    /// <summary>Separates the id from the level in a level variant's id ("W3@95").</summary>
    public const string LevelSeparator = "@";

    private readonly float? _level;

    public MagnitudePruningTechnique()
    {
    }

    /// <summary>A level variant: prunes the fraction <paramref name="sparsityPercent"/>/100 of each layer it rewrites.</summary>
    public MagnitudePruningTechnique(int sparsityPercent)
    {
        Id = LevelId(BaseId, sparsityPercent, nameof(sparsityPercent));
        _level = sparsityPercent / 100f;
    }

    public const string BaseId = "W3";

    public override string Id { get; } = BaseId;

    /// <summary>The fixed sparsity of a level variant; null for plain W3.</summary>
    public float? Level => _level;

    public override string Description => _level is { } level
        ? $"magnitude pruning of {level:P0} of the layer's weights"
        : "magnitude pruning of weights (|w| < 0.001, or a target sparsity)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        node.OpType == "Conv" ? ConvLayer.Check(index, node, allowGrouped: true) : FcLayer.Check(index, node, model.OpsetVersion);

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        if (_level is { } fixedLevel)
        {
            options = options with { PruneSparsity = fixedLevel };
        }

        if (options.PruneSparsity is { } sparsity)
        {
            RequireFraction(sparsity, nameof(options.PruneSparsity), zeroAllowed: true);
        }

        if (options.PruneThreshold < 0 || float.IsNaN(options.PruneThreshold))
        {
            throw InvalidOption(nameof(options.PruneThreshold), "must be non-negative");
        }

        var weight = Constants.TryFloat(s.Index, node.Input[1])!;
        var pruned = Prune(weight.Values, options.PruneThreshold, options.PruneSparsity);
        var name = s.AddFloats(Stem(node, "w3_weight"), weight.Dims, pruned);
        MarkKeepZeros(s.Graph.Initializer.Last());
        RewriteSession.SetInput(node, 1, name);
    }

    /// <summary>Zeroes |w| &lt; threshold, or (when sparsity is set) the ⌊p·n⌋ smallest magnitudes (ties by position).</summary>
    public static float[] Prune(float[] values, float threshold, float? sparsity)
    {
        var result = (float[])values.Clone();
        if (sparsity is { } p)
        {
            var count = (int)Math.Floor(p * values.Length);
            var order = Enumerable.Range(0, values.Length).OrderBy(i => Math.Abs(values[i])).ThenBy(i => i).Take(count);
            foreach (var i in order)
            {
                result[i] = 0;
            }

            return result;
        }

        for (var i = 0; i < result.Length; i++)
        {
            if (Math.Abs(result[i]) < threshold)
            {
                result[i] = 0;
            }
        }

        return result;
    }

    internal static void MarkKeepZeros(TensorProto tensor) =>
        tensor.MetadataProps.Add(new StringStringEntryProto { Key = KeepZerosKey, Value = "true" });
}
