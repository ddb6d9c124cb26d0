namespace AdaDeep.Onnx.Analysis;

/// <summary>Per-layer facts of a whole model, in graph order (subgraph nodes included after their parent).</summary>
public sealed record ModelAnalysis(
    IReadOnlyList<LayerInfo> Layers,
    IReadOnlyDictionary<string, long[]> Shapes,
    long FileBytes)
{
    public long TotalParameters => Layers.Sum(l => l.Parameters);

    public long TotalParameterBytes => Layers.Sum(l => l.ParameterBytes);

    public long TotalMacs => Layers.Sum(l => l.Macs);

    public long TotalActivations => Layers.Sum(l => l.Activations);
}
