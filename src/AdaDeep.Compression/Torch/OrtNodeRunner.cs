using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// Runs one node the TorchSharp bridge has no implementation for (If/Loop with their subgraphs, rare operators, an
/// unsupported attribute) in ONNX Runtime, as a one-node model whose inputs are the node's inputs plus the outer-scope
/// values its subgraphs read. Its outputs carry no gradient: the weights only it reads stay as they are (frozen) while
/// the rest of the graph trains. One session per distinct set of input element types.
/// </summary>
internal sealed class OrtNodeRunner : IDisposable
{
    private readonly NodeProto _node;
    private readonly ModelProto _template;
    private readonly Dictionary<string, InferenceSession> _sessions = new(StringComparer.Ordinal);

    public OrtNodeRunner(NodeProto node, IReadOnlyList<string> inputs, OnnxModel model)
    {
        _node = node;
        Inputs = inputs;
        _template = new ModelProto { IrVersion = Math.Max(model.Proto.IrVersion, 4), Graph = new GraphProto { Name = "bridge_node" } };
        _template.OpsetImport.AddRange(model.Proto.OpsetImport);
        _template.Graph.Node.Add(node.Clone());
        _template.Graph.Output.AddRange(node.Output.Where(o => o.Length > 0).Select(o => OutputInfo(o, model.Graph)));
    }

    /// <summary>Values the node reads: its own inputs, then the outer-scope values of its subgraphs.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public Tensor[] Run(IReadOnlyList<Tensor?> values)
    {
        var fed = Inputs.Select((name, i) => (name, value: values[i])).Where(p => p.name.Length > 0 && p.value is not null).ToList();
        var session = Session(fed.Select(p => (p.name, ElementType(p.value!))).ToList());
        var ortInputs = new List<OrtValue>();
        try
        {
            foreach (var (_, value) in fed)
            {
                ortInputs.Add(ToOrt(value!));
            }

            var outputNames = _node.Output.Where(o => o.Length > 0).ToList();
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, fed.Select(p => p.name).ToList(), ortInputs, outputNames);
            var byName = outputNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => FromOrt(outputs[p.i]), StringComparer.Ordinal);
            return _node.Output.Select(o => o.Length > 0 ? byName[o] : empty(0)).ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
                $"ONNX Runtime cannot run node '{GraphValidator.NodeLabel(_node)}' on its own for fine-tuning: {e.Message}", null, e);
        }
        finally
        {
            ortInputs.ForEach(v => v.Dispose());
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        _sessions.Clear();
    }

    /// <summary>Names a node's subgraphs read that none of them defines: values of the enclosing graph.</summary>
    public static IReadOnlyList<string> OuterScopeReads(NodeProto node)
    {
        var read = new List<string>();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attr in node.Attribute)
        {
            foreach (var sub in (attr.G is null ? Array.Empty<GraphProto>() : new[] { attr.G }).Concat(attr.Graphs))
            {
                foreach (var g in GraphIndex.AllGraphs(sub))
                {
                    defined.UnionWith(g.Input.Select(i => i.Name));
                    defined.UnionWith(g.Initializer.Select(i => i.Name));
                    defined.UnionWith(g.Node.SelectMany(n => n.Output));
                    read.AddRange(g.Node.SelectMany(n => n.Input));
                    read.AddRange(g.Output.Select(o => o.Name));
                }
            }
        }

        return read.Where(r => r.Length > 0 && !defined.Contains(r)).Distinct(StringComparer.Ordinal).ToList();
    }

    private InferenceSession Session(List<(string Name, TensorElementType Type)> inputs)
    {
        var key = string.Join(";", inputs.Select(i => $"{i.Name}:{(int)i.Type}"));
        if (_sessions.TryGetValue(key, out var session))
        {
            return session;
        }

        var proto = _template.Clone();
        proto.Graph.Input.AddRange(inputs.Select(i => new ValueInfoProto
        {
            Name = i.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)i.Type } },
        }));
        using var options = new SessionOptions { ExecutionMode = ExecutionMode.ORT_SEQUENTIAL, IntraOpNumThreads = 1 };
        try
        {
            session = new InferenceSession(proto.ToByteArray(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
                $"ONNX Runtime cannot run node '{GraphValidator.NodeLabel(_node)}' on its own for fine-tuning: {e.Message}", null, e);
        }

        _sessions[key] = session;
        return session;
    }

    /// <summary>The output's declared type where the model gives one (value_info or graph outputs); ORT infers the rest.</summary>
    private static ValueInfoProto OutputInfo(string name, GraphProto graph) =>
        graph.ValueInfo.Concat(graph.Output).FirstOrDefault(v => v.Name == name && v.Type?.TensorType is not null) is { } declared
            ? new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = declared.Type.TensorType.ElemType } } }
            : new ValueInfoProto { Name = name };

    private static TensorElementType ElementType(Tensor t) => t.dtype switch
    {
        ScalarType.Float32 => TensorElementType.Float,
        ScalarType.Float64 => TensorElementType.Double,
        ScalarType.Int64 => TensorElementType.Int64,
        ScalarType.Int32 => TensorElementType.Int32,
        ScalarType.Bool => TensorElementType.Bool,
        var other => throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable, $"the bridge cannot pass a {other} tensor to ONNX Runtime"),
    };

    private static OrtValue ToOrt(Tensor t)
    {
        using var detached = t.detach();
        using var contiguous = detached.contiguous();
        var shape = contiguous.shape;
        return contiguous.dtype switch
        {
            ScalarType.Float32 => OrtValue.CreateTensorValueFromMemory(contiguous.data<float>().ToArray(), shape),
            ScalarType.Float64 => OrtValue.CreateTensorValueFromMemory(contiguous.data<double>().ToArray(), shape),
            ScalarType.Int64 => OrtValue.CreateTensorValueFromMemory(contiguous.data<long>().ToArray(), shape),
            ScalarType.Int32 => OrtValue.CreateTensorValueFromMemory(contiguous.data<int>().ToArray(), shape),
            ScalarType.Bool => OrtValue.CreateTensorValueFromMemory(contiguous.data<bool>().ToArray(), shape),
            var other => throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable, $"the bridge cannot pass a {other} tensor to ONNX Runtime"),
        };
    }

    private static Tensor FromOrt(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => tensor(value.GetTensorDataAsSpan<float>().ToArray(), shape),
            TensorElementType.Double => tensor(value.GetTensorDataAsSpan<double>().ToArray(), shape),
            TensorElementType.Int64 => tensor(value.GetTensorDataAsSpan<long>().ToArray(), shape),
            TensorElementType.Int32 => tensor(value.GetTensorDataAsSpan<int>().ToArray(), shape),
            TensorElementType.Bool => tensor(value.GetTensorDataAsSpan<bool>().ToArray(), shape),
            var other => throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable, $"the bridge cannot read a {other} tensor from ONNX Runtime"),
        };
    }
}
