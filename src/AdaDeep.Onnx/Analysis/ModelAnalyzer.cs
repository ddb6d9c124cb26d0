using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Analysis;

/// <summary>
/// Per-layer shapes, parameters, bytes, activations and multiply-accumulates of a model: the facts the cost
/// models (S, C, T, E) and the technique search start from.
/// <list type="bullet">
/// <item>MACs: see <see cref="MacCounter"/> (convolutions and matrix products only, as the paper's C); 0 for decoding nodes, which run once at session creation.</item>
/// <item>Parameters: element count of the constants a node reads (initializers, Constant nodes), each counted
/// once (at its first consumer). A weight that is decoded at run time from constants (DequantizeLinear of an
/// int8 initializer, ScatterND of sparse values, a Reshape or Mul chain) is attributed to the node that consumes
/// the decoded weight; the decoding nodes get 0, so a packed weight counts once. Inputs that carry shapes, axes
/// or indices are not parameters.</item>
/// <item>ParameterBytes: stored bytes of those constants, plus the index/shape constants of a decoding chain,
/// since they ship with the weight.</item>
/// <item>Activations: elements of a node's outputs; 0 for Constant and decoding nodes, whose outputs are weights.</item>
/// </list>
/// Nodes of If/Loop/Scan bodies follow their parent node, in graph order, with their <see cref="LayerInfo.Scope"/> and
/// <see cref="LayerInfo.Runs"/> (see <see cref="ControlFlowRuns"/>: the costlier If branch counts, a Loop body its trip
/// count); the model's totals count MACs per inference.
/// </summary>
public static class ModelAnalyzer
{
    public static ModelAnalysis Analyze(OnnxModel model, int batchSize = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        var shapes = ShapeInference.Infer(model, batchSize);
        var nodes = new List<NodeProto>();
        var constants = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        Flatten(model.Graph, nodes, constants);

        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var output in node.Output)
            {
                producers.TryAdd(output, node);
            }
        }

        var decoding = FindDecodingNodes(nodes, constants);
        var attribution = new WeightAttribution(constants, producers, decoding);
        var weights = new Dictionary<NodeProto, WeightAttribution.NodeWeights>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
        {
            weights[node] = attribution.Attribute(node);
        }

        attribution.AttributeOrphans(nodes, weights);

        var layers = new List<LayerInfo>(nodes.Count);
        for (var position = 0; position < nodes.Count; position++)
        {
            try
            {
                layers.Add(Describe(nodes[position], position));
            }
            catch (OverflowException e)
            {
                throw TooLarge(nodes[position], $"its counts overflow 64-bit arithmetic ({e.Message})");
            }
        }

        var index = new Dictionary<NodeProto, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < nodes.Count; i++)
        {
            index.TryAdd(nodes[i], i);
        }

        var (placement, notes) = ControlFlowRuns.Compute(model.Graph, n => index.TryGetValue(n, out var i) ? layers[i].Macs : 0, constants, shapes);
        for (var i = 0; i < layers.Count; i++)
        {
            if (placement.TryGetValue(nodes[i], out var place) && (place.Runs != 1 || place.Scope is not null))
            {
                layers[i] = layers[i] with { Runs = place.Runs, Scope = place.Scope };
            }
        }

        CheckTotals(layers, model.SourcePath);
        return new ModelAnalysis(layers, shapes, model.ByteSize) { Notes = notes };

        LayerInfo Describe(NodeProto node, int position)
        {
            var w = weights[node];
            long[]? InShape(int i) => i < node.Input.Count && node.Input[i].Length > 0 ? shapes.GetValueOrDefault(node.Input[i]) : null;
            long[]? OutShape(int i) => i < node.Output.Count && node.Output[i].Length > 0 ? shapes.GetValueOrDefault(node.Output[i]) : null;

            var inputShapes = Enumerable.Range(0, node.Input.Count).Select(InShape).ToArray();
            var outputShapes = Enumerable.Range(0, node.Output.Count).Select(OutShape).ToArray();
            var isWeightNode = node.OpType == "Constant" || decoding.Contains(node);
            var activations = isWeightNode ? 0 : outputShapes.Where(s => s is not null).Sum(s => ShapeArithmetic.Product(s!));
            var kind = OperatorTraits.Kind(node.OpType, w.ConstantWeight, InShape(1)?.Length ?? -1);

            var layer = new LayerInfo(
                NodeName: GraphValidator.NodeLabel(node),
                OpType: node.OpType,
                Kind: kind,
                InputShapes: inputShapes,
                OutputShapes: outputShapes,
                Parameters: w.Parameters,
                ParameterBytes: w.Bytes,
                Activations: activations,
                // A decoding node (say the MatMul that expands a shared-weight codebook) runs once, when ONNX Runtime
                // folds constants at session creation, not per inference.
                Macs: isWeightNode ? 0 : MacCounter.Count(node, InShape, OutShape),
                Position: position);
            // What the cost model adds up for this layer must stay within MaxCount (each shape does, not their sum).
            var inputElements = inputShapes.Where(s => s is not null).Aggregate(0L, (sum, s) => checked(sum + ShapeArithmetic.BoundedElements(s!)));
            var outputElements = outputShapes.Where(s => s is not null).Aggregate(0L, (sum, s) => checked(sum + ShapeArithmetic.BoundedElements(s!)));
            if (layer.Macs > ShapeArithmetic.MaxCount || outputElements > ShapeArithmetic.MaxCount || inputElements > ShapeArithmetic.MaxCount)
            {
                throw TooLarge(node, $"{layer.Macs} MACs, {inputElements} input and {outputElements} output elements; the limit is {ShapeArithmetic.MaxCount}");
            }

            return layer;
        }

        AdaDeepException TooLarge(NodeProto node, string detail) => new(ErrorCodes.ModelInvalidShape,
            $"node '{GraphValidator.NodeLabel(node)}' ({node.OpType}) has shapes no device runs: {detail}", model.SourcePath);
    }

    /// <summary>The model's totals (what the cost model adds up) must stay within <see cref="ShapeArithmetic.MaxCount"/> too.</summary>
    private static void CheckTotals(IReadOnlyList<LayerInfo> layers, string? path)
    {
        long macs = 0, activations = 0;
        foreach (var layer in layers)
        {
            if (layer.Runs > 1 && layer.Macs > ShapeArithmetic.MaxCount / layer.Runs)
            {
                throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                    $"node '{layer.NodeName}' ({layer.OpType}) runs {layer.Runs} times at {layer.Macs} MACs, more than {ShapeArithmetic.MaxCount} MACs: its shapes are damaged", path);
            }

            macs += layer.CountedMacs; // each at most 2^53 and checked after every layer: the sums stay below 2^54
            activations += layer.Activations;
            if (macs > ShapeArithmetic.MaxCount || activations > ShapeArithmetic.MaxCount)
            {
                throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                    $"the model adds up to more than {ShapeArithmetic.MaxCount} MACs or activation elements: its shapes are damaged", path);
            }
        }
    }

    /// <summary>All nodes, each graph's nodes in order with subgraph nodes right after their parent; all constants.</summary>
    private static void Flatten(GraphProto graph, List<NodeProto> nodes, Dictionary<string, TensorProto> constants)
    {
        foreach (var init in graph.Initializer)
        {
            constants.TryAdd(init.Name, init);
        }

        foreach (var node in graph.Node)
        {
            nodes.Add(node);
            if (node.OpType == "Constant" && node.Output.Count == 1 && ConstantValue(node) is { } value)
            {
                constants.TryAdd(node.Output[0], value);
            }

            foreach (var attr in node.Attribute)
            {
                if (attr.G is not null)
                {
                    Flatten(attr.G, nodes, constants);
                }

                foreach (var g in attr.Graphs)
                {
                    Flatten(g, nodes, constants);
                }
            }
        }
    }

    /// <summary>A Constant node's value as a tensor (value, or the value_float(s)/value_int(s) shorthands).</summary>
    private static TensorProto? ConstantValue(NodeProto node)
    {
        foreach (var attr in node.Attribute)
        {
            switch (attr.Name)
            {
                case "value" when attr.T is not null:
                    return attr.T;
                case "value_float":
                    return TensorData.FromFloats(node.Output[0], Array.Empty<long>(), new[] { attr.F });
                case "value_floats":
                    return TensorData.FromFloats(node.Output[0], new long[] { attr.Floats.Count }, attr.Floats.ToArray());
                case "value_int":
                    return TensorData.FromInt64s(node.Output[0], Array.Empty<long>(), new[] { attr.I });
                case "value_ints":
                    return TensorData.FromInt64s(node.Output[0], new long[] { attr.Ints.Count }, attr.Ints.ToArray());
            }
        }

        return null;
    }

    /// <summary>
    /// Nodes that compute a weight from constants only (every input constant or itself decoded), such as
    /// DequantizeLinear(int8 weight, scale, zero point) or ScatterND(zeros, indices, values).
    /// Nodes with subgraphs and nodes without inputs (random generators) are never decoding nodes.
    /// </summary>
    private static HashSet<NodeProto> FindDecodingNodes(List<NodeProto> nodes, Dictionary<string, TensorProto> constants)
    {
        var constantValues = new HashSet<string>(constants.Keys, StringComparer.Ordinal);
        var decoding = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes)
        {
            if (node.OpType == "Constant" || node.Input.Count == 0 || node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
            {
                continue;
            }

            var inputs = node.Input.Where(i => i.Length > 0).ToList();
            if (inputs.Count > 0 && inputs.All(constantValues.Contains))
            {
                decoding.Add(node);
                constantValues.UnionWith(node.Output.Where(o => o.Length > 0));
            }
        }

        return decoding;
    }
}
