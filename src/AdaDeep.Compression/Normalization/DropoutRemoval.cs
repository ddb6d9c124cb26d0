using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Normalization;

/// <summary>
/// At inference a Dropout is an identity (ONNX Runtime's own optimiser drops it too), but its operator changed
/// meaning in opsets 7, 10 and 12, so an old export that keeps one cannot have its opset raised, and every technique
/// that needs a newer opset (int8 weights, packing) refused such models. Removing the node keeps the outputs exactly.
/// Kept: a Dropout whose mask output is read, or whose training_mode input is not a constant false.
/// </summary>
internal static class DropoutRemoval
{
    /// <summary>Removes the main graph's inference Dropouts in <paramref name="s"/>; returns how many.</summary>
    public static int Apply(RewriteSession s)
    {
        var removed = 0;
        foreach (var node in s.Graph.Node.Where(n => n.OpType == "Dropout" && IsDefaultDomain(n)).ToList())
        {
            if (!IsInferenceIdentity(s, node))
            {
                continue;
            }

            var input = node.Input[0];
            var output = node.Output[0];
            if (s.Index.IsGraphOutput(output))
            {
                // The graph output keeps its name: an Identity stands where the Dropout was.
                s.Replace(node, new[] { s.NewNode("Identity", node.Name.Length > 0 ? node.Name : "dropout", new[] { input }, new[] { output }) });
            }
            else
            {
                s.Remove(node);
                Rename(s.Graph, output, input);
            }

            removed++;
        }

        return removed;
    }

    private static bool IsInferenceIdentity(RewriteSession s, NodeProto node)
    {
        if (node.Input.Count == 0 || node.Input[0].Length == 0 || node.Output.Count == 0 || node.Output[0].Length == 0)
        {
            return false;
        }

        // The mask (output 1) would need a tensor of ones; such graphs are rare enough to keep as they are.
        if (node.Output.Count > 1 && node.Output[1].Length > 0 && IsRead(s.Graph, node.Output[1]))
        {
            return false;
        }

        // Opset 12+: a training_mode input other than a constant false makes it random.
        if (node.Input.Count > 2 && node.Input[2].Length > 0)
        {
            return s.Index.Constant(node.Input[2]) is { } mode && TensorData.ToInt64s(mode).All(v => v == 0);
        }

        return true;
    }

    private static bool IsRead(GraphProto graph, string value) =>
        graph.Output.Any(o => o.Name == value) || GraphIndex.AllGraphs(graph).Any(g => g.Node.Any(n => n.Input.Contains(value)));

    private static void Rename(GraphProto graph, string from, string to)
    {
        foreach (var g in GraphIndex.AllGraphs(graph))
        {
            foreach (var n in g.Node)
            {
                for (var i = 0; i < n.Input.Count; i++)
                {
                    if (n.Input[i] == from)
                    {
                        n.Input[i] = to;
                    }
                }
            }
        }
    }

    private static bool IsDefaultDomain(NodeProto n) => string.IsNullOrEmpty(n.Domain) || n.Domain == "ai.onnx";
}
