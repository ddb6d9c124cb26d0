using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// An ONNX graph as a trainable TorchSharp module: a generic interpreter that runs the graph's nodes in order
/// (<see cref="OnnxTorchOps"/>). Every float weight that reaches a weight or bias input of Conv, Gemm, MatMul or
/// BatchNormalization, or an operand of Mul/Add — directly or through re-viewing ops such as Reshape — is a trainable
/// <see cref="Parameter"/>; other constants (shapes, BatchNormalization statistics, Sub/Div operands) are buffers.
/// <see cref="WriteBack"/> puts the trained values back into a copy of the ONNX model.
/// The module owns its tensors (they are detached from any dispose scope); dispose it when done.
/// </summary>
public sealed partial class TorchGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly List<NodeProto> _nodes;
    private readonly Dictionary<string, Tensor> _values = new(StringComparer.Ordinal);
    private readonly List<TrainableWeight> _weights = new();
    private readonly long _opset;
    private readonly HashSet<NodeProto> _batchReshapes;
    private readonly OnnxModel _model;
    private readonly Dictionary<NodeProto, OrtNodeRunner> _ortNodes = new(ReferenceEqualityComparer.Instance);
    private int? _relaxedBatch;

    private TorchGraphModule(OnnxModel model)
        : base(string.IsNullOrEmpty(model.Graph.Name) ? "onnx_graph" : model.Graph.Name)
    {
        var graph = model.Graph;
        _model = model;
        _opset = model.OpsetVersion;
        var index = new GraphIndex(graph);
        InputName = index.RuntimeInputs[0].Name;
        OutputName = graph.Output[0].Name;
        var batchDim = index.RuntimeInputs[0].Type?.TensorType?.Shape?.Dim.FirstOrDefault();
        FixedBatch = batchDim is { HasDimValue: true, DimValue: > 0 } ? (int)batchDim.DimValue : null;

        var trainable = TrainableValues(graph, index);
        using (no_grad())
        {
            foreach (var init in graph.Initializer.Where(i => i.Name != InputName))
            {
                AddValue(init.Name, init, trainable.Contains(init.Name) && init.DataType == TensorData.Float, fromConstantNode: false);
            }

            foreach (var node in graph.Node.Where(n => n.OpType == "Constant"))
            {
                var value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
                var trainableConstant = value is not null && value.DataType == TensorData.Float && trainable.Contains(node.Output[0]);
                if (trainableConstant)
                {
                    AddValue(node.Output[0], value!, true, fromConstantNode: true);
                }
                else
                {
                    AddBuffer(node.Output[0], OnnxTorchOps.Run(node, Array.Empty<Tensor?>(), _opset)[0]);
                }
            }
        }

        _nodes = TopologicalOrder(graph.Node.Where(n => n.OpType != "Constant").ToList(), _values.Keys.Append(InputName), model.SourcePath);
        _batchReshapes = BatchDependentReshapes(_nodes, InputName);
        foreach (var node in _nodes.Where(n => !OnnxOpSupport.IsSupported(n)))
        {
            _ortNodes[node] = NewOrtNode(node);
        }
    }

    /// <summary>
    /// Operators (with node names) that run in ONNX Runtime instead of TorchSharp: control flow, operators or
    /// attributes the bridge lacks. No gradient flows through them, so weights only they read stay frozen.
    /// </summary>
    public IReadOnlyList<string> OrtEvaluatedNodes =>
        _ortNodes.Keys.Select(n => string.IsNullOrEmpty(n.Name) ? GraphValidator.NodeLabel(n) : $"{n.Name} ({n.OpType})").ToList();

    /// <summary>The graph input the module's forward argument feeds.</summary>
    public string InputName { get; }

    /// <summary>The graph output forward returns (the first one).</summary>
    public string OutputName { get; }

    /// <summary>
    /// The batch size the graph input fixes (mnist-8's is 1: its Reshape constants assume it), or null when the batch
    /// dimension is free. Feed batches of exactly this size.
    /// </summary>
    public int? FixedBatch { get; private set; }

    /// <summary>The trainable weights, in graph order (initializers, then Constant nodes).</summary>
    public IReadOnlyList<TrainableWeight> Weights => _weights;

    /// <summary>
    /// Builds the module. Nodes the bridge cannot run in TorchSharp (<see cref="OnnxOpSupport.Unsupported"/>, or an
    /// attribute found unsupported at the first forward pass) run in ONNX Runtime, frozen (<see cref="OrtEvaluatedNodes"/>).
    /// Throws TechniqueNotApplicable when the graph does not have exactly one runtime input.
    /// </summary>
    public static TorchGraphModule FromOnnx(OnnxModel model)
    {
        var runtimeInputs = new GraphIndex(model.Graph).RuntimeInputs;
        if (runtimeInputs.Count != 1 || model.Graph.Output.Count == 0)
        {
            throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
                $"the TorchSharp bridge runs graphs with one input and at least one output; this one has {runtimeInputs.Count} inputs and {model.Graph.Output.Count} outputs",
                model.SourcePath);
        }

        return new TorchGraphModule(model);
    }

    public override Tensor forward(Tensor input)
    {
        var env = new Dictionary<string, Tensor>(_values, StringComparer.Ordinal) { [InputName] = input };
        foreach (var node in _nodes)
        {
            var outputs = _ortNodes.TryGetValue(node, out var ortNode) ? RunInOrt(ortNode, env) : RunNative(node, env);
            for (var i = 0; i < Math.Min(outputs.Length, node.Output.Count); i++)
            {
                if (node.Output[i].Length > 0)
                {
                    env[node.Output[i]] = outputs[i];
                }
            }
        }

        return env[OutputName];
    }

    private Tensor[] RunNative(NodeProto node, Dictionary<string, Tensor> env)
    {
        var args = new Tensor?[node.Input.Count];
        for (var i = 0; i < args.Length; i++)
        {
            var name = node.Input[i];
            args[i] = name.Length == 0 ? null : env[name];
        }

        try
        {
            return OnnxTorchOps.Run(node, args, _opset, _relaxedBatch is not null && _batchReshapes.Contains(node) ? _relaxedBatch : null);
        }
        catch (AdaDeepException e) when (e.Code == ErrorCodes.TechniqueNotApplicable)
        {
            // An attribute or input form TorchSharp lacks (a Resize mode, GRU sequence lengths): ONNX Runtime runs this
            // node from now on, frozen.
            var ortNode = NewOrtNode(node);
            _ortNodes[node] = ortNode;
            return RunInOrt(ortNode, env);
        }
    }

    private static Tensor[] RunInOrt(OrtNodeRunner node, Dictionary<string, Tensor> env) =>
        node.Run(node.Inputs.Select(name => name.Length > 0 && env.TryGetValue(name, out var v) ? v : null).ToList());

    private OrtNodeRunner NewOrtNode(NodeProto node) =>
        new(node, node.Input.Concat(OrtNodeRunner.OuterScopeReads(node)).Distinct(StringComparer.Ordinal).ToList(), _model);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var node in _ortNodes.Values)
            {
                node.Dispose();
            }

            _ortNodes.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Lets a graph whose input fixes the batch at 1 (mnist-8 and many exported models: their Reshape constants say 1)
    /// run on larger batches, so training can use mini-batches: Reshape nodes on the data path whose target starts with
    /// 1 take the input's batch size instead. Kept only if the module's outputs for <paramref name="samples"/> (two or
    /// more, shaped [n, ...]) as one batch equal its outputs for them one at a time; otherwise nothing changes.
    /// Returns whether the batch dimension is now free (<see cref="FixedBatch"/> null). The ONNX model is not changed.
    /// </summary>
    public bool TryRelaxFixedBatch(Tensor samples)
    {
        if (FixedBatch is null)
        {
            return true;
        }

        if (FixedBatch != 1 || samples.shape[0] < 2)
        {
            return false;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var n = samples.shape[0];
        var singles = Enumerable.Range(0, (int)n).Select(i => forward(samples.narrow(0, i, 1)).reshape(1, -1)).ToList();
        _relaxedBatch = 1;
        try
        {
            var batched = forward(samples).reshape(n, -1);
            var expected = cat(singles, 0);
            var scale = Math.Max(1.0, expected.abs().max().item<float>());
            if (batched.shape.SequenceEqual(expected.shape) && (batched - expected).abs().max().item<float>() <= 1e-4 * scale)
            {
                FixedBatch = null;
                return true;
            }
        }
        catch (Exception e) when (e is ExternalException or AdaDeepException or ArgumentException)
        {
            // Some other op bakes the batch in (a Squeeze of axis 0, say): stay with the fixed batch.
        }

        _relaxedBatch = null;
        return false;
    }

    /// <summary>
    /// A copy of <paramref name="model"/> (the model this module was built from) whose trainable weights hold the
    /// module's current values; everything else is unchanged.
    /// </summary>
    public OnnxModel WriteBack(OnnxModel model)
    {
        var clone = model.Clone();
        var initializers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < clone.Graph.Initializer.Count; i++)
        {
            initializers[clone.Graph.Initializer[i].Name] = i;
        }

        foreach (var weight in _weights)
        {
            var values = Values(weight.Parameter);
            var tensor = TensorData.FromFloats(weight.ValueName, weight.Dims, values);
            if (!weight.FromConstantNode && initializers.TryGetValue(weight.ValueName, out var at))
            {
                var old = clone.Graph.Initializer[at];
                CheckSameSize(old, values.Length, model);
                tensor.DocString = old.DocString;
                clone.Graph.Initializer[at] = tensor;
                continue;
            }

            var constant = clone.Graph.Node.FirstOrDefault(n => n.OpType == "Constant" && n.Output.Count == 1 && n.Output[0] == weight.ValueName);
            var attribute = constant?.Attribute.FirstOrDefault(a => a.Name == "value");
            if (attribute is null)
            {
                throw new AdaDeepException(ErrorCodes.ModelMissingInitializer,
                    $"the model has no weight '{weight.ValueName}' to write back (was the module built from another model?)", model.SourcePath);
            }

            CheckSameSize(attribute.T, values.Length, model);
            attribute.T = tensor;
        }

        return clone;
    }

    /// <summary>A parameter's values as a flat float array.</summary>
    internal static float[] Values(Tensor parameter)
    {
        using var detached = parameter.detach();
        using var contiguous = detached.contiguous();
        return contiguous.data<float>().ToArray();
    }

    private void AddValue(string name, TensorProto value, bool isTrainable, bool fromConstantNode)
    {
        var tensor = OnnxTorchOps.FromOnnx(value);
        if (!isTrainable)
        {
            AddBuffer(name, tensor);
            return;
        }

        var parameter = new Parameter(tensor, requires_grad: true);
        parameter.DetachFromDisposeScope();
        register_parameter(SafeName(name), parameter);
        _values[name] = parameter;
        _weights.Add(new TrainableWeight(name, value.Dims.ToArray(), parameter, fromConstantNode));
    }

    private void AddBuffer(string name, Tensor tensor)
    {
        tensor.DetachFromDisposeScope();
        register_buffer(SafeName(name), tensor);
        _values[name] = tensor;
    }

    /// <summary>TorchSharp names may not contain '.', and must be unique: index + sanitised ONNX name.</summary>
    private string SafeName(string name) => $"v{_values.Count}_{UnsafeCharacters().Replace(name, "_")}";

    /// <summary>Values that reach a weight input, directly or through ops that only re-view them.</summary>
    private static HashSet<string> TrainableValues(GraphProto graph, GraphIndex index)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var candidates = graph.Initializer.Select(i => i.Name)
            .Concat(graph.Node.Where(n => n.OpType == "Constant" && n.Output.Count == 1).Select(n => n.Output[0]));
        foreach (var name in candidates)
        {
            if (ReachesWeightInput(name, index, depth: 0))
            {
                result.Add(name);
            }
        }

        return result;
    }

    private static bool ReachesWeightInput(string value, GraphIndex index, int depth)
    {
        if (depth > 16)
        {
            return false;
        }

        foreach (var consumer in index.Consumers(value))
        {
            for (var i = 0; i < consumer.Input.Count; i++)
            {
                if (consumer.Input[i] != value)
                {
                    continue;
                }

                if (OnnxOpSupport.IsWeightInput(consumer.OpType, i) ||
                    (i == 0 && OnnxOpSupport.IsViewOp(consumer.OpType) && ReachesWeightInput(consumer.Output[0], index, depth + 1)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Reshape nodes whose data input depends on the graph input (weights reshaped are left alone).</summary>
    private static HashSet<NodeProto> BatchDependentReshapes(List<NodeProto> ordered, string input)
    {
        var dependent = new HashSet<string>(StringComparer.Ordinal) { input };
        var reshapes = new HashSet<NodeProto>();
        foreach (var node in ordered)
        {
            if (node.Input.Any(dependent.Contains))
            {
                foreach (var output in node.Output)
                {
                    dependent.Add(output);
                }

                if (node.OpType == "Reshape" && dependent.Contains(node.Input[0]))
                {
                    reshapes.Add(node);
                }
            }
        }

        return reshapes;
    }

    /// <summary>The nodes in an order where every input is computed first (ONNX requires it; some exporters slip).</summary>
    private static List<NodeProto> TopologicalOrder(List<NodeProto> nodes, IEnumerable<string> available, string? path)
    {
        var known = new HashSet<string>(available, StringComparer.Ordinal) { "" };
        var ordered = new List<NodeProto>(nodes.Count);
        var pending = new List<NodeProto>(nodes);
        while (pending.Count > 0)
        {
            var ready = pending.Where(n => n.Input.All(known.Contains) && OrtNodeRunner.OuterScopeReads(n).All(known.Contains)).ToList();
            if (ready.Count == 0)
            {
                var stuck = pending[0];
                throw new AdaDeepException(ErrorCodes.ModelMissingInitializer,
                    $"node '{GraphValidator.NodeLabel(stuck)}' reads '{stuck.Input.First(i => !known.Contains(i))}', which nothing computes", path);
            }

            foreach (var node in ready)
            {
                ordered.Add(node);
                pending.Remove(node);
                foreach (var output in node.Output)
                {
                    known.Add(output);
                }
            }
        }

        return ordered;
    }

    private static void CheckSameSize(TensorProto old, int count, OnnxModel model)
    {
        if (TensorData.ElementCount(old) != count)
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"weight '{old.Name}' holds {TensorData.ElementCount(old)} values in the model but {count} in the module (was the module built from another model?)",
                model.SourcePath);
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex UnsafeCharacters();
}
