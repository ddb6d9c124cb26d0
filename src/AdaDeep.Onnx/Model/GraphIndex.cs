using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Model;

/// <summary>
/// Look-ups over one graph: which node produces a value, which nodes consume it, and the constant
/// weights (initializers and Constant nodes). Built once per rewrite step; rebuild after changing the graph.
/// </summary>
public sealed class GraphIndex
{
    private readonly Dictionary<string, NodeProto> _producers = new();
    private readonly Dictionary<string, List<NodeProto>> _consumers = new();
    private readonly Dictionary<string, TensorProto> _initializers = new();

    public GraphIndex(GraphProto graph)
    {
        Graph = graph;
        foreach (var init in graph.Initializer)
        {
            _initializers[init.Name] = init;
        }

        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                _producers[output] = node;
            }

            foreach (var input in node.Input)
            {
                if (!_consumers.TryGetValue(input, out var list))
                {
                    _consumers[input] = list = new List<NodeProto>();
                }

                list.Add(node);
            }

            // A Constant node's value counts as a weight like an initializer.
            if (node.OpType == "Constant" && node.Output.Count == 1)
            {
                var value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
                if (value is not null)
                {
                    _initializers.TryAdd(node.Output[0], value);
                }
            }
        }

        var initNames = new HashSet<string>(graph.Initializer.Select(i => i.Name));
        RuntimeInputs = graph.Input.Where(i => !initNames.Contains(i.Name)).ToList();
    }

    public GraphProto Graph { get; }

    /// <summary>Graph inputs that are fed at run time (older models also list initializers as inputs).</summary>
    public IReadOnlyList<ValueInfoProto> RuntimeInputs { get; }

    public NodeProto? Producer(string value) => _producers.GetValueOrDefault(value);

    public IReadOnlyList<NodeProto> Consumers(string value) =>
        _consumers.TryGetValue(value, out var list) ? list : Array.Empty<NodeProto>();

    public bool IsConstant(string value) => _initializers.ContainsKey(value);

    public TensorProto? Constant(string value) => _initializers.GetValueOrDefault(value);

    public bool IsGraphOutput(string value) => Graph.Output.Any(o => o.Name == value);

    /// <summary>A name not yet used in the graph, for values and nodes that rewrites add.</summary>
    public string FreshName(string stem)
    {
        var name = stem;
        var i = 1;
        while (_producers.ContainsKey(name) || _initializers.ContainsKey(name) || _consumers.ContainsKey(name) ||
               Graph.Node.Any(n => n.Name == name))
        {
            name = $"{stem}_{i++}";
        }

        return name;
    }

    /// <summary>Every graph: this one and the bodies of If/Loop/Scan nodes, depth first.</summary>
    public static IEnumerable<GraphProto> AllGraphs(GraphProto root)
    {
        yield return root;
        foreach (var node in root.Node)
        {
            foreach (var attr in node.Attribute)
            {
                if (attr.G is not null)
                {
                    foreach (var g in AllGraphs(attr.G))
                    {
                        yield return g;
                    }
                }

                foreach (var sub in attr.Graphs)
                {
                    foreach (var g in AllGraphs(sub))
                    {
                        yield return g;
                    }
                }
            }
        }
    }
}
