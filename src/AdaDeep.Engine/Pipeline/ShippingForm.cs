using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Last touch before a model ships. Models of IR version 3 (e.g. mnist-8) must list every initializer as a graph
/// input, and ONNX Runtime then treats those weights as overridable inputs: it cannot constant-fold them, so the
/// packed-weight decoders would run at every inference. When the rewrites raised the opset, the IR version is raised
/// to the one that opset came with, and initializers are dropped from the graph inputs (allowed since IR 4).
/// </summary>
public static class ShippingForm
{
    /// <summary>IR version released with each default-domain opset (onnx/onnx docs/Versioning.md).</summary>
    private static readonly (long Opset, long Ir)[] IrForOpset =
    {
        (7, 3), (8, 3), (9, 4), (10, 5), (11, 6), (12, 7), (13, 7), (14, 7), (15, 8), (16, 8), (17, 8), (18, 8), (19, 9), (20, 9), (21, 10),
    };

    public static OnnxModel Apply(OnnxModel model)
    {
        var opset = model.OpsetVersion;
        var ir = IrForOpset.Where(p => p.Opset <= opset).Select(p => p.Ir).DefaultIfEmpty(model.Proto.IrVersion).Max();
        if (Math.Max(ir, model.Proto.IrVersion) < 4)
        {
            return model;
        }

        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        if (!model.Graph.Input.Any(i => initializers.Contains(i.Name)))
        {
            return model;
        }

        var shipped = model.Clone();
        shipped.Proto.IrVersion = Math.Max(ir, model.Proto.IrVersion);
        foreach (var input in shipped.Graph.Input.Where(i => initializers.Contains(i.Name)).ToArray())
        {
            shipped.Graph.Input.Remove(input);
        }

        return shipped;
    }
}
