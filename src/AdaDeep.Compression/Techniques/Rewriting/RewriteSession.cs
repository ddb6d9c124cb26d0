using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>
/// One rewrite of a cloned model: hands out fresh names, adds weights and nodes in topological position,
/// and on <see cref="Finish"/> drops what the rewrite orphaned (initializers, producer chains such as a
/// Reshape of a weight, stale value_info), then validates the graph. The source model is never touched.
/// </summary>
internal sealed class RewriteSession
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumedBefore;

    public RewriteSession(OnnxModel source)
    {
        Model = source.Clone();
        Graph = Model.Graph;
        Index = new GraphIndex(Graph);
        foreach (var g in GraphIndex.AllGraphs(Graph))
        {
            foreach (var n in g.Node)
            {
                _names.Add(n.Name);
                _names.UnionWith(n.Input);
                _names.UnionWith(n.Output);
            }

            _names.UnionWith(g.Initializer.Select(i => i.Name));
            _names.UnionWith(g.Input.Select(i => i.Name));
            _names.UnionWith(g.Output.Select(o => o.Name));
            _names.UnionWith(g.ValueInfo.Select(v => v.Name));
        }

        _consumedBefore = ConsumedValues(Graph);
    }

    public OnnxModel Model { get; }

    public GraphProto Graph { get; }

    /// <summary>Index of the graph as it was when the rewrite started (look-ups of the original structure).</summary>
    public GraphIndex Index { get; }

    public long Opset => Model.OpsetVersion;

    /// <summary>A name unused in the graph and not handed out before in this rewrite.</summary>
    public string Fresh(string stem)
    {
        var name = stem;
        var i = 1;
        while (string.IsNullOrEmpty(name) || !_names.Add(name))
        {
            name = $"{stem}_{i++}";
        }

        return name;
    }

    public string AddFloats(string stem, IReadOnlyList<long> dims, float[] values) =>
        AddTensor(TensorData.FromFloats(Fresh(stem), dims, values));

    public string AddInt64s(string stem, long[] values) =>
        AddTensor(TensorData.FromInt64s(Fresh(stem), new long[] { values.Length }, values));

    /// <summary>Adds an initializer under its (already fresh) name.</summary>
    public string AddTensor(TensorProto tensor)
    {
        _names.Add(tensor.Name);
        Graph.Initializer.Add(tensor);
        // IR < 4 expects every initializer to be declared as a graph input as well.
        if (Model.Proto.IrVersion < 4)
        {
            Graph.Input.Add(GraphBuilder.TensorInfo(tensor.Name, tensor.DataType, tensor.Dims.Select(d => (long?)d)));
        }

        return tensor.Name;
    }

    public NodeProto NewNode(string opType, string stem, IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh(stem) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    /// <summary>Replaces a node by a chain of nodes at its position, which keeps the graph topologically sorted
    /// as long as the new nodes read only values available to the old one (or each other, in order).</summary>
    public void Replace(NodeProto old, IEnumerable<NodeProto> nodes)
    {
        var at = IndexOf(old);
        Graph.Node.RemoveAt(at);
        foreach (var n in nodes.Reverse())
        {
            Graph.Node.Insert(at, n);
        }
    }

    public void InsertBefore(NodeProto anchor, IEnumerable<NodeProto> nodes)
    {
        var at = IndexOf(anchor);
        foreach (var n in nodes.Reverse())
        {
            Graph.Node.Insert(at, n);
        }
    }

    public void Remove(NodeProto node) => Graph.Node.RemoveAt(IndexOf(node));

    /// <summary>Drops recorded shapes of a value whose shape the rewrite changes (stale value_info breaks loading).</summary>
    public void ForgetShape(string value)
    {
        for (var i = Graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (Graph.ValueInfo[i].Name == value)
            {
                Graph.ValueInfo.RemoveAt(i);
            }
        }
    }

    /// <summary>Gives a node's input a new value; its old weight is removed on Finish if nothing else reads it.</summary>
    public static void SetInput(NodeProto node, int index, string value)
    {
        while (node.Input.Count <= index)
        {
            node.Input.Add("");
        }

        node.Input[index] = value;
    }

    public OnnxModel Finish()
    {
        RemoveOrphans();
        GraphValidator.Validate(Model);
        return Model;
    }

    private void RemoveOrphans()
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            var consumed = ConsumedValues(Graph);
            for (var i = Graph.Node.Count - 1; i >= 0; i--)
            {
                var n = Graph.Node[i];
                var outputs = n.Output.Where(o => o.Length > 0).ToList();
                if (outputs.Count > 0 && outputs.All(o => !consumed.Contains(o)) && outputs.Any(_consumedBefore.Contains))
                {
                    Graph.Node.RemoveAt(i);
                    changed = true;
                }
            }

            for (var i = Graph.Initializer.Count - 1; i >= 0; i--)
            {
                var name = Graph.Initializer[i].Name;
                if (!consumed.Contains(name) && _consumedBefore.Contains(name))
                {
                    Graph.Initializer.RemoveAt(i);
                    for (var j = Graph.Input.Count - 1; j >= 0; j--)
                    {
                        if (Graph.Input[j].Name == name)
                        {
                            Graph.Input.RemoveAt(j);
                        }
                    }

                    changed = true;
                }
            }
        }

        var defined = new HashSet<string>(Graph.Node.SelectMany(n => n.Output));
        defined.UnionWith(Graph.Initializer.Select(i => i.Name));
        defined.UnionWith(Graph.Input.Select(i => i.Name));
        for (var i = Graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (!defined.Contains(Graph.ValueInfo[i].Name))
            {
                Graph.ValueInfo.RemoveAt(i);
            }
        }
    }

    private int IndexOf(NodeProto node)
    {
        for (var i = 0; i < Graph.Node.Count; i++)
        {
            if (ReferenceEquals(Graph.Node[i], node))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"node '{node.Name}' is not in the graph being rewritten");
    }

    private static HashSet<string> ConsumedValues(GraphProto graph)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in GraphIndex.AllGraphs(graph))
        {
            foreach (var n in g.Node)
            {
                set.UnionWith(n.Input);
            }
        }

        set.UnionWith(graph.Output.Select(o => o.Name));
        return set;
    }
}
