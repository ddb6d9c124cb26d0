using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using Google.Protobuf;

namespace AdaDeep.Fuzz;

/// <summary>The ONNX-aware mutations (see <see cref="OnnxGraphMutator"/>).</summary>
public enum OnnxMutation
{
    /// <summary>A node becomes another operator (one shape inference knows, or an unknown one).</summary>
    ChangeOpType,

    /// <summary>An attribute that shape inference reads (axis, perm, pads, starts…) set to edge values.</summary>
    SetAttribute,

    /// <summary>An int64 initializer (a Reshape shape, Slice starts, axes) given edge values, its dims kept consistent.</summary>
    ChangeIntegerConstant,

    /// <summary>A declared dimension of a graph input, output or value_info set to an edge value.</summary>
    ChangeDeclaredDim,

    /// <summary>A node input pointed at another value, added, or removed.</summary>
    RewireInput,

    /// <summary>A Constant node of edge int64 values inserted before a node and fed to one of its inputs.</summary>
    FeedConstant,

    /// <summary>A node given a subgraph attribute (a copy of the main graph), as If/Loop/Scan carry.</summary>
    AddSubgraph,
}

/// <summary>
/// Mutations that know the ONNX schema: they parse the model, change what shape inference and analysis compute from
/// (operators, attributes, constant shapes, declared dimensions, wiring) and serialize a model that still parses, so
/// the mutant exercises GraphValidator, ShapeInference, ModelAnalyzer and the cost model rather than the protobuf parser.
/// </summary>
public sealed class OnnxGraphMutator : IMutator
{
    private static readonly string[] OpTypes =
    {
        "Relu", "Add", "Mul", "Sub", "Div", "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "Gemm",
        "MatMul", "Flatten", "Reshape", "Concat", "Transpose", "Squeeze", "Unsqueeze", "Shape", "Size", "Expand",
        "ConstantOfShape", "Gather", "Slice", "Pad", "Tile", "ArgMax", "Split", "Resize", "Upsample", "ReduceMean",
        "ReduceSum", "Softmax", "BatchNormalization", "Dropout", "Cast", "Identity", "Where", "QLinearConv", "QLinearMatMul",
        "ConvInteger", "MatMulInteger", "DequantizeLinear", "ScatterND", "NonZero", "Loop", "If", "Scan", "Constant",
        "MyCustomOp", "",
    };

    private static readonly string[] IntsAttributes =
    {
        "axes", "perm", "pads", "strides", "dilations", "kernel_shape", "starts", "ends", "split", "shape",
        "output_shape", "output_padding", "value_ints",
    };

    private static readonly string[] IntAttributes =
    {
        "axis", "group", "transA", "transB", "keepdims", "allowzero", "start", "end", "ceil_mode", "noop_with_empty_axes", "value_int",
    };

    private static readonly long[] EdgeInts =
    {
        0, 1, 2, 3, -1, -2, -3, 4, 7, 28, 64, 1024, int.MaxValue, (long)int.MaxValue + 1, int.MinValue, long.MaxValue,
        long.MinValue, long.MaxValue / 2, 1L << 32, -(1L << 32), 100_000_000,
    };

    public OnnxGraphMutator(OnnxMutation kind) => Kind = kind;

    public static IReadOnlyList<IMutator> All { get; } = Enum.GetValues<OnnxMutation>().Select(k => (IMutator)new OnnxGraphMutator(k)).ToArray();

    public OnnxMutation Kind { get; }

    public string Name => "onnx." + Kind;

    public byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException)
        {
            return new ProtobufMutator(ProtobufMutation.VarintValue).Mutate(input, random, corpus);
        }

        var graphs = model.Graph is null ? new List<GraphProto>() : GraphIndex.AllGraphs(model.Graph).ToList();
        var graph = graphs.Count == 0 ? null : graphs[random.Next(graphs.Count)];
        if (graph is null || graph.Node.Count == 0)
        {
            return new ProtobufMutator(ProtobufMutation.DuplicateField).Mutate(input, random, corpus);
        }

        var node = graph.Node[random.Next(graph.Node.Count)];
        switch (Kind)
        {
            case OnnxMutation.ChangeOpType:
                node.OpType = OpTypes[random.Next(OpTypes.Length)];
                break;
            case OnnxMutation.SetAttribute:
                if (random.Next(3) == 0)
                {
                    node.SetInt(IntAttributes[random.Next(IntAttributes.Length)], Edge(random));
                }
                else if (random.Next(8) == 0)
                {
                    node.SetString("auto_pad", new[] { "SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET", "BOGUS" }[random.Next(5)]);
                }
                else
                {
                    node.SetInts(IntsAttributes[random.Next(IntsAttributes.Length)], Enumerable.Range(0, random.Next(7)).Select(_ => Edge(random)).ToArray());
                }

                break;
            case OnnxMutation.ChangeIntegerConstant:
            {
                var ints = graph.Initializer.Where(t => t.DataType == TensorData.Int64).ToList();
                if (ints.Count == 0)
                {
                    goto case OnnxMutation.FeedConstant;
                }

                var tensor = ints[random.Next(ints.Count)];
                var values = Enumerable.Range(0, random.Next(6)).Select(_ => Edge(random)).ToArray();
                var replacement = TensorData.FromInt64s(tensor.Name, random.Next(5) == 0 ? Array.Empty<long>() : new long[] { values.Length }, values);
                graph.Initializer[graph.Initializer.IndexOf(tensor)] = replacement;
                break;
            }

            case OnnxMutation.ChangeDeclaredDim:
            {
                var infos = graph.Input.Concat(graph.Output).Concat(graph.ValueInfo).Where(v => v.Type?.TensorType?.Shape is not null).ToList();
                if (infos.Count == 0)
                {
                    goto case OnnxMutation.SetAttribute;
                }

                var shape = infos[random.Next(infos.Count)].Type.TensorType.Shape;
                if (shape.Dim.Count == 0 || random.Next(4) == 0)
                {
                    shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = Edge(random) }); // a rank change
                }
                else
                {
                    shape.Dim[random.Next(shape.Dim.Count)] = random.Next(5) == 0
                        ? new TensorShapeProto.Types.Dimension { DimParam = "N" }
                        : new TensorShapeProto.Types.Dimension { DimValue = Edge(random) };
                }

                break;
            }

            case OnnxMutation.RewireInput:
            {
                var names = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name))
                    .Concat(graph.Node.SelectMany(n => n.Output)).Append("").ToList();
                switch (random.Next(3))
                {
                    case 0 when node.Input.Count > 0:
                        node.Input[random.Next(node.Input.Count)] = names[random.Next(names.Count)];
                        break;
                    case 1 when node.Input.Count > 0:
                        node.Input.RemoveAt(random.Next(node.Input.Count));
                        break;
                    default:
                        node.Input.Add(names[random.Next(names.Count)]);
                        break;
                }

                break;
            }

            case OnnxMutation.FeedConstant:
            {
                var name = $"fuzz_const_{random.Next(1_000_000)}";
                var values = Enumerable.Range(0, random.Next(6)).Select(_ => Edge(random)).ToArray();
                var constant = new NodeProto { OpType = "Constant", Name = name };
                constant.Output.Add(name);
                if (random.Next(2) == 0)
                {
                    constant.Attribute.Add(new AttributeProto
                    {
                        Name = "value", Type = AttributeProto.Types.AttributeType.Tensor,
                        T = TensorData.FromInt64s(name, new long[] { values.Length }, values),
                    });
                }
                else
                {
                    constant.SetInts("value_ints", values);
                }

                var at = graph.Node.IndexOf(node);
                graph.Node.Insert(at, constant);
                if (node.Input.Count == 0 || random.Next(3) == 0)
                {
                    node.Input.Add(name);
                }
                else
                {
                    node.Input[random.Next(node.Input.Count)] = name;
                }

                break;
            }

            case OnnxMutation.AddSubgraph:
                if (model.Graph is not null)
                {
                    var body = model.Graph.Clone();
                    node.Attribute.Add(new AttributeProto
                    {
                        Name = new[] { "then_branch", "else_branch", "body" }[random.Next(3)],
                        Type = AttributeProto.Types.AttributeType.Graph,
                        G = body,
                    });
                }

                break;
        }

        return model.ToByteArray();
    }

    private static long Edge(Random random) => random.Next(3) == 0 ? random.Next(-4, 40) : EdgeInts[random.Next(EdgeInts.Length)];
}
