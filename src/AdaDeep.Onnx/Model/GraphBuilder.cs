using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Model;

/// <summary>
/// Builds ONNX graphs in code: used by rewrites to add nodes and weights, and by tests to make tiny models.
/// </summary>
public sealed class GraphBuilder
{
    private int _counter;

    public GraphBuilder(string name = "graph")
    {
        Graph = new GraphProto { Name = name };
    }

    public GraphProto Graph { get; }

    public static ValueInfoProto TensorInfo(string name, int elemType, IEnumerable<long?> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is { } v
                ? new TensorShapeProto.Types.Dimension { DimValue = v }
                : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }

    public GraphBuilder Input(string name, params long?[] dims)
    {
        Graph.Input.Add(TensorInfo(name, TensorData.Float, dims));
        return this;
    }

    public GraphBuilder Output(string name, params long?[] dims)
    {
        Graph.Output.Add(TensorInfo(name, TensorData.Float, dims));
        return this;
    }

    public string Weight(string name, long[] dims, float[] values)
    {
        Graph.Initializer.Add(TensorData.FromFloats(name, dims, values));
        return name;
    }

    public string Int64s(string name, long[] values)
    {
        Graph.Initializer.Add(TensorData.FromInt64s(name, new long[] { values.Length }, values));
        return name;
    }

    /// <summary>Adds a node; returns its first output. Outputs default to fresh names.</summary>
    public string Node(string opType, string[] inputs, string? output = null, Action<NodeProto>? configure = null, string? name = null)
    {
        var n = new NodeProto { OpType = opType, Name = name ?? $"{opType.ToLowerInvariant()}_{_counter}" };
        n.Input.AddRange(inputs);
        n.Output.Add(output ?? $"{opType.ToLowerInvariant()}_{_counter}_out");
        _counter++;
        configure?.Invoke(n);
        Graph.Node.Add(n);
        return n.Output[0];
    }

    public OnnxModel ToModel(long opset = 13, long irVersion = 8)
    {
        var proto = new ModelProto { IrVersion = irVersion, ProducerName = "AdaDeep.GraphBuilder", Graph = Graph };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return new OnnxModel(proto);
    }
}
