using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Techniques;

/// <summary>Every technique by its stable id: the paper's ten (section 5.2.1) and the four beyond it.</summary>
public static class TechniqueRegistry
{
    /// <summary>The paper's ten, in its order: weight factorisation/pruning, conv decompositions, special layers.</summary>
    public static IReadOnlyList<ICompressionTechnique> Paper { get; } = new ICompressionTechnique[]
    {
        new SvdFcTechnique(),
        new SvdConvTechnique(),
        new SparseCodingFcTechnique(),
        new MagnitudePruningTechnique(),
        new SparseConvDecompositionTechnique(),
        new DepthwiseSeparableTechnique(),
        new SparseRandomConvTechnique(),
        new FireLayerTechnique(),
        new MlpconvTechnique(),
        new GlobalAveragePoolingTechnique(),
    };

    /// <summary>Beyond the paper: int8 weights, QDQ with calibration, channel pruning, batch-norm folding, hidden-unit pruning.</summary>
    public static IReadOnlyList<ICompressionTechnique> Extra { get; } = new ICompressionTechnique[]
    {
        new WeightQuantizationTechnique(),
        new StaticQuantizationTechnique(),
        new ChannelPruningTechnique(),
        new BatchNormFoldingTechnique(),
        new HiddenUnitPruningTechnique(),
        new HiddenUnitPruningTechnique(25),
        new ChannelPruningTechnique(25),
    };

    /// <summary>All techniques: W1f, W1c, W2, W3, C1, C2, C3, L1, L2, L3, Q8W, Q8, P1, BN, P2, P2@25, P1@25.</summary>
    public static IReadOnlyList<ICompressionTechnique> All { get; } = Paper.Concat(Extra).ToArray();

    public static IReadOnlyList<string> Ids { get; } = All.Select(t => t.Id).ToArray();

    /// <summary>The technique with this id (exact, or ignoring case); ADA3002 listing the ids otherwise.</summary>
    public static ICompressionTechnique Get(string id) =>
        TryGet(id) ?? throw new AdaDeepException(ErrorCodes.TechniqueUnknown,
            $"unknown technique '{id}'; known techniques: {string.Join(", ", Ids)}");

    public static ICompressionTechnique? TryGet(string id) =>
        All.FirstOrDefault(t => t.Id == id) ?? All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase)) ?? TryLevel(id);

    /// <summary>"W3@95": W3 at a fixed sparsity of 95 %, so a search can choose each layer's level.</summary>
    private static MagnitudePruningTechnique? TryLevel(string id)
    {
        var at = id.IndexOf(MagnitudePruningTechnique.LevelSeparator, StringComparison.Ordinal);
        return at > 0 && string.Equals(id[..at], MagnitudePruningTechnique.BaseId, StringComparison.OrdinalIgnoreCase) &&
               int.TryParse(id[(at + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var percent) &&
               percent is >= 1 and <= 99
            ? new MagnitudePruningTechnique(percent)
            : null;
    }

    /// <summary>
    /// The techniques of these ids in registry order (level variants of W3 in W3's place, by level), each once;
    /// ADA3002 for an unknown id.
    /// </summary>
    public static IReadOnlyList<ICompressionTechnique> Resolve(IEnumerable<string> ids)
    {
        var wanted = ids.Select(Get).GroupBy(t => t.Id, StringComparer.Ordinal).Select(g => g.First()).ToArray();
        return wanted
            .OrderBy(t => All.ToList().FindIndex(r => r.Id == (t is MagnitudePruningTechnique { Level: not null } ? MagnitudePruningTechnique.BaseId : t.Id)))
            .ThenBy(t => t is MagnitudePruningTechnique m ? m.Level ?? -1 : 0)
            .ToArray();
    }

    /// <summary>The techniques that can rewrite this node, in registry order.</summary>
    public static IReadOnlyList<ICompressionTechnique> ForLayer(OnnxModel model, string nodeName) =>
        All.Where(t => t.CanApply(model, nodeName).CanApply).ToArray();
}
