using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Model;

/// <summary>
/// fp16 models (issue 13.2): the engine searches, rewrites and fine-tunes in float32, so <see cref="ToFloat32"/>
/// turns every float16 value of a graph (initializers, Constant / ConstantOfShape values, Cast targets, declared
/// types, subgraphs included) into float32 — exact, since every half is a float. <see cref="ShipAs"/> gives the
/// compressed float32 model the original's interface back: float16 inputs and outputs (a Cast at each), and its
/// float weights stored as float16 (a Cast each, which ONNX Runtime folds at load), so the file is no larger than
/// the original's for the weights it keeps. The final validation compares that shipped model with the original.
/// </summary>
public static class Float16Graph
{
    private const int Half = TensorData.Float16;
    private const int Single = TensorData.Float;

    /// <summary>Whether any value of the model's main graph or its subgraphs is float16.</summary>
    public static bool Uses(OnnxModel model) => Graphs(model.Graph).Any(g =>
        g.Initializer.Any(t => t.DataType == Half) ||
        g.Input.Concat(g.Output).Concat(g.ValueInfo).Any(v => v.Type?.TensorType?.ElemType == Half) ||
        g.Node.Any(n => n.Attribute.Any(a => a.T?.DataType == Half || (a.Name is "to" or "dtype" && a.I == Half))));

    /// <summary>A float32 copy of an fp16 model (the model itself when it holds no float16).</summary>
    public static OnnxModel ToFloat32(OnnxModel model)
    {
        if (!Uses(model))
        {
            return model;
        }

        var result = model.Clone();
        foreach (var graph in Graphs(result.Graph))
        {
            for (var i = 0; i < graph.Initializer.Count; i++)
            {
                if (graph.Initializer[i].DataType == Half)
                {
                    graph.Initializer[i] = ToSingle(graph.Initializer[i]);
                }
            }

            foreach (var value in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo))
            {
                if (value.Type?.TensorType is { ElemType: Half } type)
                {
                    type.ElemType = Single;
                }
            }

            foreach (var attribute in graph.Node.SelectMany(n => n.Attribute))
            {
                if (attribute.T is { DataType: Half } t)
                {
                    attribute.T = ToSingle(t);
                }

                if (attribute.Name is "to" or "dtype" && attribute.I == Half)
                {
                    attribute.I = Single;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// <paramref name="compressed"/> (float32) with the float16 interface and weight storage of
    /// <paramref name="original"/>; unchanged when the original holds no float16 input, output or weight.
    /// </summary>
    public static OnnxModel ShipAs(OnnxModel compressed, OnnxModel original)
    {
        var halfInputs = original.Graph.Input.Where(v => v.Type?.TensorType?.ElemType == Half).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var halfOutputs = original.Graph.Output.Where(v => v.Type?.TensorType?.ElemType == Half).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        // Weights in float16 initializers, or in float16 Constant nodes as some exporters write them.
        var halfWeights = original.Graph.Initializer.Any(t => t.DataType == Half) ||
            original.Graph.Node.Any(n => n.OpType == "Constant" && n.Attribute.Any(a => a.T is { DataType: Half } t && TensorData.ElementCount(t) >= 16));
        if (halfInputs.Count == 0 && halfOutputs.Count == 0 && !halfWeights)
        {
            return compressed;
        }

        var result = compressed.Clone();
        var graph = result.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var head = new List<NodeProto>();
        var tail = new List<NodeProto>();
        foreach (var input in graph.Input.Where(v => halfInputs.Contains(v.Name) && !initializers.Contains(v.Name) && v.Type?.TensorType?.ElemType == Single))
        {
            var inner = Fresh(graph, input.Name + "_fp32");
            Rename(graph, input.Name, inner, renameOutputs: false);
            head.Add(Cast(input.Name, inner, Single));
            input.Type.TensorType.ElemType = Half;
        }

        foreach (var output in graph.Output.Where(v => halfOutputs.Contains(v.Name) && v.Type?.TensorType?.ElemType == Single))
        {
            if (graph.Node.All(n => !n.Output.Contains(output.Name)))
            {
                continue; // an input or initializer passed straight through keeps its own type
            }

            var inner = Fresh(graph, output.Name + "_fp32");
            Rename(graph, output.Name, inner, renameOutputs: true);
            tail.Add(Cast(inner, output.Name, Half));
            output.Type.TensorType.ElemType = Half;
        }

        if (halfWeights)
        {
            // Weights the rewrite left in float32 (kept, factorised or fine-tuned) are stored as halves, the
            // precision the original shipped them in; small ones (shapes, scales) stay float32.
            var inputs = graph.Input.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < graph.Initializer.Count; i++)
            {
                var weight = graph.Initializer[i];
                if (weight.DataType != Single || TensorData.ElementCount(weight) < 16 || inputs.Contains(weight.Name))
                {
                    continue;
                }

                var stored = Fresh(graph, weight.Name + "_fp16");
                graph.Initializer[i] = TensorData.FromHalves(stored, weight.Dims, TensorData.ToFloats(weight));
                head.Add(Cast(stored, weight.Name, Single));
            }
        }

        var nodes = head.Concat(graph.Node).Concat(tail).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.ValueInfo.Clear();
        return result;
    }

    private static NodeProto Cast(string input, string output, int to)
    {
        var node = new NodeProto { OpType = "Cast", Name = $"{output}_cast" };
        node.Input.Add(input);
        node.Output.Add(output);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });
        return node;
    }

    /// <summary>Replaces value <paramref name="from"/> by <paramref name="to"/> in node inputs (subgraphs too, which may
    /// read outer values) and, when asked, in the outputs of the node that produces it.</summary>
    private static void Rename(GraphProto graph, string from, string to, bool renameOutputs)
    {
        foreach (var g in Graphs(graph))
        {
            foreach (var node in g.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == from)
                    {
                        node.Input[i] = to;
                    }
                }

                if (renameOutputs && ReferenceEquals(g, graph))
                {
                    for (var i = 0; i < node.Output.Count; i++)
                    {
                        if (node.Output[i] == from)
                        {
                            node.Output[i] = to;
                        }
                    }
                }
            }
        }
    }

    private static string Fresh(GraphProto graph, string name)
    {
        var used = Graphs(graph).SelectMany(g => g.Node.SelectMany(n => n.Input.Concat(n.Output))
            .Concat(g.Initializer.Select(i => i.Name)).Concat(g.Input.Select(i => i.Name))).ToHashSet(StringComparer.Ordinal);
        var candidate = name;
        for (var k = 1; used.Contains(candidate); k++)
        {
            candidate = $"{name}_{k}";
        }

        return candidate;
    }

    private static TensorProto ToSingle(TensorProto half)
    {
        var single = TensorData.FromFloats(half.Name, half.Dims, TensorData.ToFloats(half));
        single.DocString = half.DocString;
        return single;
    }

    /// <summary>The graph and every subgraph of its nodes (If branches, Loop and Scan bodies), depth first.</summary>
    private static IEnumerable<GraphProto> Graphs(GraphProto graph)
    {
        yield return graph;
        foreach (var attribute in graph.Node.SelectMany(n => n.Attribute))
        {
            var subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Append(attribute.G);
            foreach (var sub in subgraphs.SelectMany(Graphs))
            {
                yield return sub;
            }
        }
    }
}
