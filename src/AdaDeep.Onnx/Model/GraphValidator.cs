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

            CheckTensorSize(init, path);
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

    private static void CheckTensorSize(TensorProto tensor, string? path)
    {
        long count = 1;
        foreach (var d in tensor.Dims)
        {
            if (d < 0)
            {
                throw new AdaDeepException(ErrorCodes.ModelInvalidShape, $"initializer '{tensor.Name}' has a negative dimension", path);
            }

            count *= d;
        }

        var elementSize = TensorData.ElementSize(tensor.DataType);
        if (tensor.RawData.Length > 0 && elementSize > 0 && tensor.RawData.Length != count * elementSize)
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"initializer '{tensor.Name}' has {tensor.RawData.Length} bytes of data but its shape [{string.Join(",", tensor.Dims)}] needs {count * elementSize}", path);
        }

        if (tensor.FloatData.Count > 0 && tensor.FloatData.Count != count)
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"initializer '{tensor.Name}' has {tensor.FloatData.Count} values but its shape [{string.Join(",", tensor.Dims)}] needs {count}", path);
        }
    }

    public static string NodeLabel(NodeProto node) =>
        string.IsNullOrEmpty(node.Name) ? $"{node.OpType}->{string.Join(",", node.Output)}" : node.Name;
}
