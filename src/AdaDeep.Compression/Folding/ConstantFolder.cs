using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace AdaDeep.Compression.Folding;

/// <summary>
/// Folds weights that a graph computes from constants (ConstantOfShape, Reshape/Transpose/Cast/Concat… of
/// initializers and Constant nodes) into initializers, so the layers that read them are seen as having constant
/// weights and become compressible (issue 13.3). ONNX Runtime evaluates the constant subgraph once, so every folded
/// value has exactly the runtime's semantics. What cannot be folded (an operator outside <see cref="FoldableOps"/>,
/// a value that depends on a runtime input, a random generator, a node with a subgraph) stays as it is.
/// </summary>
public static class ConstantFolder
{
    /// <summary>Largest tensor (elements) a fold may create: AlexNet's biggest weight has 38 M.</summary>
    public const long MaxFoldedElements = 64L << 20;

    /// <summary>
    /// Deterministic default-domain operators without subgraphs that exporters use to build weights and shapes.
    /// Ops of AdaDeep's own packed-weight decoding chain beyond these (Mod, CumSum, DequantizeLinear) are left out,
    /// so an already packed model is not unpacked.
    /// </summary>
    public static readonly IReadOnlySet<string> FoldableOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "ConstantOfShape", "Identity", "Cast", "CastLike", "Reshape", "Transpose", "Unsqueeze", "Squeeze", "Concat",
        "Shape", "Size", "Gather", "Flatten", "Expand", "Tile", "Slice", "Split", "Range", "Neg", "Add", "Sub", "Mul",
        "Div", "Sqrt", "Reciprocal", "Pow", "Abs",
    };

    /// <summary>Operators that exist to make a big tensor from a small description: their results may grow the file.</summary>
    private static readonly IReadOnlySet<string> GeneratorOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "ConstantOfShape", "Expand", "Tile", "Range",
    };

    /// <summary>
    /// A copy of <paramref name="model"/> with its constant subgraphs folded, or the model itself when nothing folds.
    /// A folded value becomes an initializer of the same name; nodes only it needed are removed. A fold is kept when
    /// it does not grow the stored bytes (counting only constants it leaves unused), or when a generator (ConstantOfShape, Expand, Tile, Range) made it: those
    /// weights exist only as a recipe, and a layer needs real values to be compressed.
    /// </summary>
    public static FoldResult Fold(OnnxModel model)
    {
        var graph = model.Graph;
        var constants = ConstantTensors(graph);
        var shapes = TryInferShapes(model);
        var folded = new List<NodeProto>();
        var foldedSet = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var computed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (IsFoldable(node) && node.Input.All(i => i.Length == 0 || constants.ContainsKey(i) || computed.Contains(i)))
            {
                folded.Add(node);
                foldedSet.Add(node);
                computed.UnionWith(node.Output.Where(o => o.Length > 0));
            }
        }

        if (folded.Count == 0)
        {
            return new FoldResult(model, 0, 0);
        }

        var readOutside = NamesReadOutside(graph, foldedSet);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var frontier = computed
            .Where(v => readOutside.Contains(v) && !graphOutputs.Contains(v))
            .Where(v => !shapes.TryGetValue(v, out var s) || Elements(s) <= MaxFoldedElements)
            .ToList();
        if (frontier.Count == 0)
        {
            return new FoldResult(model, 0, 0);
        }

        var values = Evaluate(model, folded, constants, frontier);
        var producers = folded.SelectMany(n => n.Output.Select(o => (o, n))).Where(p => p.o.Length > 0)
            .ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var accepted = values
            .Where(kv => TensorData.ElementCount(kv.Value) <= MaxFoldedElements && kv.Value.DataType != (int)TensorProto.Types.DataType.String)
            .Where(kv => HasGenerator(kv.Key, producers, constants) ||
                         TensorData.StoredBytes(kv.Value) <= Math.Max(FreedLeafBytes(kv.Key, producers, constants, readOutside), 4096))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (accepted.Count == 0)
        {
            return new FoldResult(model, 0, 0);
        }

        var clone = model.Clone();
        var removed = Rewrite(clone.Graph, accepted);
        return new FoldResult(clone, accepted.Count, removed);
    }

    private static bool IsFoldable(NodeProto node) =>
        node.Domain is "" or "ai.onnx" && FoldableOps.Contains(node.OpType) &&
        node.Attribute.All(a => a.G is null && a.Graphs.Count == 0) && node.Output.Count > 0;

    /// <summary>Initializers and Constant-node values: the leaves a fold starts from.</summary>
    private static Dictionary<string, TensorProto> ConstantTensors(GraphProto graph)
    {
        var constants = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var init in graph.Initializer)
        {
            constants[init.Name] = init;
        }

        // An initializer that is also a graph input can be overridden at run time (IR < 4 lists every initializer as
        // an input, and GraphIndex treats those as constants); a value fed instead is the caller's business.
        foreach (var node in graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1 && n.Attribute.Count == 1))
        {
            constants.TryAdd(node.Output[0], node.Attribute[0].T ?? new TensorProto());
        }

        return constants;
    }

    private static IReadOnlyDictionary<string, long[]> TryInferShapes(OnnxModel model)
    {
        try
        {
            return ShapeInference.Infer(model);
        }
        catch (AdaDeepException)
        {
            // No static shapes: the element cap is then checked on the evaluated values instead.
            return new Dictionary<string, long[]>();
        }
    }

    /// <summary>Values that a node outside the fold (or any node of a subgraph, by outer-scope reference) reads.</summary>
    private static HashSet<string> NamesReadOutside(GraphProto graph, HashSet<NodeProto> folded)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => !folded.Contains(n)))
        {
            names.UnionWith(node.Input);
        }

        foreach (var sub in GraphIndex.AllGraphs(graph).Skip(1))
        {
            foreach (var node in sub.Node)
            {
                names.UnionWith(node.Input);
            }

            names.UnionWith(sub.Output.Select(o => o.Name));
        }

        return names;
    }

    private static bool HasGenerator(string value, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> constants) =>
        Cone(value, producers).Any(n => GeneratorOps.Contains(n.OpType));

    /// <summary>
    /// Stored bytes of the initializers and Constant values a folded value is computed from that nothing else reads, so
    /// folding removes them (an Identity of a weight a Conv also reads would only duplicate it).
    /// </summary>
    private static long FreedLeafBytes(string value, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> constants,
        HashSet<string> readOutside) =>
        Cone(value, producers).SelectMany(n => n.Input).Where(i => constants.ContainsKey(i) && !readOutside.Contains(i))
            .Distinct(StringComparer.Ordinal).Sum(i => TensorData.StoredBytes(constants[i]));

    /// <summary>The folded nodes a value depends on.</summary>
    private static IEnumerable<NodeProto> Cone(string value, Dictionary<string, NodeProto> producers)
    {
        var seen = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<string>();
        pending.Push(value);
        while (pending.Count > 0)
        {
            if (producers.TryGetValue(pending.Pop(), out var node) && seen.Add(node))
            {
                foreach (var input in node.Input.Where(i => i.Length > 0))
                {
                    pending.Push(input);
                }
            }
        }

        return seen;
    }

    /// <summary>Runs the folded nodes once in ONNX Runtime: a model with no inputs whose outputs are the frontier.</summary>
    private static Dictionary<string, TensorProto> Evaluate(OnnxModel model, List<NodeProto> folded,
        Dictionary<string, TensorProto> constants, List<string> frontier)
    {
        var graph = new GraphProto { Name = "constant_fold" };
        var used = folded.SelectMany(n => n.Input).Where(i => i.Length > 0).ToHashSet(StringComparer.Ordinal);
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in used.Where(constants.ContainsKey))
        {
            if (initializers.Contains(name))
            {
                graph.Initializer.Add(constants[name]);
            }
        }

        graph.Node.AddRange(model.Graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1 && used.Contains(n.Output[0])));
        graph.Node.AddRange(folded);
        graph.Output.AddRange(frontier.Select(f => new ValueInfoProto { Name = f }));
        var proto = new ModelProto { IrVersion = Math.Max(model.Proto.IrVersion, 4), Graph = graph };
        proto.OpsetImport.AddRange(model.Proto.OpsetImport);

        var result = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        try
        {
            using var options = new SessionOptions { ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, IntraOpNumThreads = 1 };
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
            using var session = new InferenceSession(proto.ToByteArray(), options);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, Array.Empty<string>(), Array.Empty<OrtValue>(), frontier);
            for (var i = 0; i < frontier.Count; i++)
            {
                if (OrtTensors.ToTensorProto(frontier[i], outputs[i]) is { } tensor)
                {
                    result[frontier[i]] = tensor;
                }
            }
        }
        catch (OnnxRuntimeException)
        {
            // The runtime cannot evaluate this subgraph on its own (an op it rejects without the rest of the graph,
            // say): fold nothing and leave the model exactly as it was.
            result.Clear();
        }

        return result;
    }

    /// <summary>Puts the accepted values in as initializers and removes the nodes and constants only they needed.</summary>
    private static int Rewrite(GraphProto graph, Dictionary<string, TensorProto> accepted)
    {
        var existing = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, tensor) in accepted)
        {
            if (!existing.Contains(name))
            {
                graph.Initializer.Add(tensor);
            }
        }

        // Producers of accepted values, then whatever became dead among constant-only nodes.
        var removedNodes = 0;
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.Output.Any(accepted.ContainsKey))
            {
                if (node.Output.Where(o => o.Length > 0).All(accepted.ContainsKey))
                {
                    candidates.UnionWith(node.Input);
                    graph.Node.RemoveAt(i);
                    removedNodes++;
                }
            }
        }

        bool changed;
        do
        {
            changed = false;
            var read = ReadAnywhere(graph);
            for (var i = graph.Node.Count - 1; i >= 0; i--)
            {
                var node = graph.Node[i];
                var isConstantOnly = node.OpType == "Constant" || (IsFoldable(node) && node.Output.All(candidates.Contains));
                if (isConstantOnly && node.Output.All(o => o.Length == 0 || (candidates.Contains(o) && !read.Contains(o))))
                {
                    candidates.UnionWith(node.Input);
                    graph.Node.RemoveAt(i);
                    removedNodes++;
                    changed = true;
                }
            }
        }
        while (changed);

        var stillRead = ReadAnywhere(graph);
        var dropped = graph.Initializer.Where(t => candidates.Contains(t.Name) && !stillRead.Contains(t.Name) && !accepted.ContainsKey(t.Name))
            .Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        RemoveWhere(graph.Initializer, t => dropped.Contains(t.Name));
        RemoveWhere(graph.Input, v => dropped.Contains(v.Name));
        var live = graph.Node.SelectMany(n => n.Output).Concat(graph.Initializer.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        RemoveWhere(graph.ValueInfo, v => !live.Contains(v.Name) && !graph.Input.Any(i => i.Name == v.Name));
        return removedNodes;
    }

    private static HashSet<string> ReadAnywhere(GraphProto graph)
    {
        var names = GraphIndex.AllGraphs(graph).SelectMany(g => g.Node).SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        names.UnionWith(GraphIndex.AllGraphs(graph).SelectMany(g => g.Output).Select(o => o.Name));
        return names;
    }

    private static void RemoveWhere<T>(Google.Protobuf.Collections.RepeatedField<T> items, Func<T, bool> predicate)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (predicate(items[i]))
            {
                items.RemoveAt(i);
            }
        }
    }

    private static long Elements(long[] shape) => shape.Aggregate(1L, (a, b) => a * Math.Max(b, 0));
}
