namespace AdaDeep.Onnx.Analysis;

/// <summary>Per-layer facts of a whole model, in graph order (subgraph nodes included after their parent).</summary>
public sealed record ModelAnalysis(
    IReadOnlyList<LayerInfo> Layers,
    IReadOnlyDictionary<string, long[]> Shapes,
    long FileBytes)
{
    public long TotalParameters => Layers.Sum(l => l.Parameters);

    public long TotalParameterBytes => Layers.Sum(l => l.ParameterBytes);

    /// <summary>MACs per inference: each layer's MACs times its runs (If: the costlier branch; Loop: × trip count).</summary>
    public long TotalMacs => Layers.Sum(l => l.CountedMacs);

    /// <summary>What the analysis assumed where the graph does not say (control flow: which If branch counts, trip counts, lower bounds).</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public long TotalActivations => Layers.Sum(l => l.Activations);
}
