using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Bench.Models;

/// <summary>Applies techniques from TechniqueRegistry to named layers, skipping layers a rewrite already removed.</summary>
public static class TechniqueApplier
{
    /// <summary>The rewritten model and the layers it was applied to (empty when none could take it).</summary>
    public static (OnnxModel Model, IReadOnlyList<string> Applied) Apply(OnnxModel model, string techniqueId,
        IEnumerable<string> layers, TechniqueOptions options)
    {
        var technique = TechniqueRegistry.Get(techniqueId);
        var applied = new List<string>();
        foreach (var layer in layers)
        {
            if (model.Graph.Node.Any(n => n.Name == layer) && technique.CanApply(model, layer).CanApply)
            {
                model = technique.Apply(model, layer, options);
                applied.Add(layer);
            }
        }

        return (model, applied);
    }

    /// <summary>The Conv and fully connected layers of a model that a technique can rewrite, in graph order.</summary>
    public static IReadOnlyList<string> ApplicableLayers(OnnxModel model, string techniqueId)
    {
        var technique = TechniqueRegistry.Get(techniqueId);
        return AdaDeep.Onnx.Analysis.ModelAnalyzer.Analyze(model).Layers
            .Where(l => l.Kind is AdaDeep.Onnx.Analysis.LayerKind.Conv or AdaDeep.Onnx.Analysis.LayerKind.FullyConnected)
            .Select(l => l.NodeName)
            .Where(name => technique.CanApply(model, name).CanApply)
            .ToArray();
    }
}
