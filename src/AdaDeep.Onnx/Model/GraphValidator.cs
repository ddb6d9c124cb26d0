using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Model;

/// <summary>
/// Structural checks that catch damaged models early with a clear error: every node input must come from
/// a graph input, an initializer, an earlier node, or (inside a subgraph) an enclosing scope.
/// </summary>
public static class GraphValidator
{
    public static void Validate(OnnxModel model) => ValidateGraph(model.Graph, new HashSet<string>(), model.SourcePath);

    private static void ValidateGraph(GraphProto graph, HashSet<string> outerScope, string? path)
    {
        var known = new HashSet<string>(outerScope) { "" }; // "" marks an omitted optional input
        foreach (var input in graph.Input)
        {
            known.Add(input.Name);
        }

        foreach (var init in graph.Initializer)
        {
            if (init.DataLocation == TensorProto.Types.DataLocation.External)
            {
                throw new AdaDeepException(ErrorCodes.ModelExternalData,
                    $"initializer '{init.Name}' keeps its data in an external file; save the model with weights inside it", path);
            }

            CheckTensorSize(init, "initializer", path);
            known.Add(init.Name);
        }

        foreach (var sparse in graph.SparseInitializer)
        {
            known.Add(sparse.Values?.Name ?? "");
        }

        // Nodes are topologically sorted in a valid ONNX graph, but be lenient: collect all outputs first,
        // then report inputs that nothing defines.
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                known.Add(output);
            }
        }

        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
            {
                if (!known.Contains(input))
                {
                    throw new AdaDeepException(ErrorCodes.ModelMissingInitializer,
                        $"node '{NodeLabel(node)}' reads '{input}', which is neither a graph input, an initializer nor a node output", path);
                }
            }

            foreach (var attr in node.Attribute)
            {
                // A Constant's value (and any tensor attribute) is a weight like an initializer: same checks.
                if (attr.T is not null)
                {
                    CheckTensorSize(attr.T, $"tensor attribute '{attr.Name}' of node '{NodeLabel(node)}', tensor", path);
                }

                if (attr.G is not null)
                {
                    ValidateGraph(attr.G, known, path);
                }

                foreach (var g in attr.Graphs)
                {
                    ValidateGraph(g, known, path);
                }
            }
        }

        foreach (var output in graph.Output)
        {
            if (!known.Contains(output.Name))
            {
                throw new AdaDeepException(ErrorCodes.ModelMissingInitializer,
                    $"graph output '{output.Name}' is produced by no node", path);
            }
        }
    }

    /// <summary>
    /// Dimensions must be non-negative and the stored values must fill the shape exactly, in whichever field the data
    /// type uses. Raw data of types whose element size is not a whole byte count (4-bit, float8) is not counted.
    /// </summary>
    private static void CheckTensorSize(TensorProto tensor, string what, string? path)
    {
        if (tensor.Dims.Any(d => d < 0))
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"{what} '{tensor.Name}' has a negative dimension in [{string.Join(",", tensor.Dims)}]", path);
        }

        var type = (TensorProto.Types.DataType)tensor.DataType;
        var complex = type is TensorProto.Types.DataType.Complex64 or TensorProto.Types.DataType.Complex128;
        if (!Enum.IsDefined(type) || type == TensorProto.Types.DataType.Undefined ||
            (tensor.RawData.Length > 0 && TensorData.ElementSize(tensor.DataType) == 0 && !complex))
        {
            return;
        }

        var count = TensorData.ElementCount(tensor);
        var (found, unit) = TensorFile.ValueCount(tensor, type);
        if (found != count)
        {
            var size = TensorData.ElementSize(tensor.DataType);
            var needs = count == long.MaxValue ? "more elements than a 64-bit count holds"
                : tensor.RawData.Length > 0 && size > 0 && count <= long.MaxValue / size ? $"{count} ({count * size} bytes)"
                : $"{count}";
            var holds = tensor.RawData.Length > 0 ? $"{tensor.RawData.Length} bytes of raw data" : $"{found} {unit}";
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"{what} '{tensor.Name}' holds {holds} but its shape [{string.Join(",", tensor.Dims)}] of {type} needs {needs}", path);
        }
    }

    public static string NodeLabel(NodeProto node) =>
        string.IsNullOrEmpty(node.Name) ? $"{node.OpType}->{string.Join(",", node.Output)}" : node.Name;
}
