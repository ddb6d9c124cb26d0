using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using static AdaDeep.Onnx.Analysis.ShapeArithmetic;

namespace AdaDeep.Onnx.Analysis;

/// <summary>
/// The walk behind <see cref="ShapeInference"/>: one pass over each graph in dependency order, with the
/// integer contents of small constant tensors tracked alongside the shapes so that shape computations
/// (Shape → Gather → Concat → Reshape, as PyTorch exports flatten) resolve too.
/// </summary>
internal sealed class ShapeInferrer
{
    // Integer tensors up to this many elements are tracked by value (shapes, axes, pads, sizes).
    private const int MaxTrackedValues = 1024;

    private static readonly HashSet<string> SameShapeOps = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax",
        "Hardmax", "Cast", "CastLike", "Identity", "Elu", "Selu", "Celu", "Softplus", "Softsign", "ThresholdedRelu",
        "Gelu", "Mish", "Neg", "Abs", "Exp", "Log", "Sqrt", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Erf",
        "Not", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "IsNaN", "IsInf", "LRN",
        "InstanceNormalization", "LayerNormalization", "GroupNormalization", "LpNormalization",
        "MeanVarianceNormalization", "BatchNormalization", "DequantizeLinear", "QuantizeLinear",
        "DynamicQuantizeLinear", "ScatterND", "ScatterElements", "Scatter", "Shrink", "Trilu", "CumSum", "Dropout",
    };

    private static readonly HashSet<string> BroadcastOps = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "Equal", "Less", "Greater",
        "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "BitShift", "Where",
    };

    private static readonly HashSet<string> ReduceOps = new(StringComparer.Ordinal)
    {
        "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    };

    private readonly int _batch;
    private readonly long _opset;
    private readonly string? _path;
    private readonly Dictionary<string, long[]> _values = new(StringComparer.Ordinal);

    // Small float constants: Resize/Upsample scales.
    private readonly Dictionary<string, float[]> _floatConstants = new(StringComparer.Ordinal);

    public ShapeInferrer(int batchSize, long opset, string? path = null)
    {
        _batch = batchSize;
        _opset = opset;
        _path = path;
    }

    public Dictionary<string, long[]> Shapes { get; } = new(StringComparer.Ordinal);

    public void InferGraph(GraphProto graph, bool seedInputs)
    {
        foreach (var init in graph.Initializer)
        {
            SetConstant(init.Name, init);
        }

        if (seedInputs)
        {
            foreach (var input in graph.Input)
            {
                if (!Shapes.ContainsKey(input.Name) && Declared(input) is { } shape)
                {
                    Shapes[input.Name] = shape;
                }
            }
        }

        var declared = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var info in graph.ValueInfo.Concat(graph.Output))
        {
            if (Declared(info) is { } shape)
            {
                declared.TryAdd(info.Name, shape);
            }
        }

        foreach (var node in DependencyOrder(graph))
        {
            try
            {
                InferNode(node);
            }
            catch (OverflowException e)
            {
                // Only damaged shapes or constants (a dimension near 2^63) overflow: name the node, never wrap around.
                throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                    $"node '{GraphValidator.NodeLabel(node)}' ({node.OpType}): its shapes overflow 64-bit arithmetic ({e.Message})", _path, e);
            }

            foreach (var output in node.Output)
            {
                if (output.Length > 0 && !Shapes.ContainsKey(output) && declared.TryGetValue(output, out var shape))
                {
                    Shapes[output] = shape;
                }
            }
        }

        foreach (var output in graph.Output)
        {
            if (!Shapes.ContainsKey(output.Name) && declared.TryGetValue(output.Name, out var shape))
            {
                Shapes[output.Name] = shape;
            }
        }
    }

    /// <summary>A declared type's shape, symbolic or missing dimensions replaced by the batch size.</summary>
    private long[]? Declared(ValueInfoProto info)
    {
        var shape = info.Type?.TensorType?.Shape;
        if (shape is null)
        {
            return null;
        }

        var dims = shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue >= 0
            ? d.DimValue
            : _batch).ToArray();
        if (!FitsCount(dims))
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"'{info.Name}' is declared with shape [{string.Join(",", dims)}], more than {MaxCount} elements", _path);
        }

        return dims;
    }

    private void SetConstant(string name, TensorProto tensor)
    {
        if (!FitsCount(tensor.Dims))
        {
            // An empty tensor can claim any shape ([0, 2^62] holds no value): still a damaged model.
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"constant '{name}' has shape [{string.Join(",", tensor.Dims)}], more than {MaxCount} elements", _path);
        }

        Shapes[name] = tensor.Dims.ToArray();
        if (tensor.DataType is TensorData.Int64 or TensorData.Int32 && TensorData.ElementCount(tensor) <= MaxTrackedValues)
        {
            _values[name] = TensorData.ToInt64s(tensor);
        }
        else if (tensor.DataType == TensorData.Float && TensorData.ElementCount(tensor) <= 16)
        {
            _floatConstants[name] = TensorData.ToFloats(tensor);
        }
    }

    /// <summary>Nodes in an order where producers come before consumers (valid ONNX is already in it).</summary>
    private static IEnumerable<NodeProto> DependencyOrder(GraphProto graph)
    {
        var producer = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producer.TryAdd(output, node);
            }
        }

        var done = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var order = new List<NodeProto>(graph.Node.Count);
        foreach (var node in graph.Node)
        {
            Visit(node);
        }

        return order;

        void Visit(NodeProto node)
        {
            // Explicit stack: deep chains must not overflow the call stack. Cycles (invalid) are cut by `done`.
            var stack = new Stack<(NodeProto Node, int Next)>();
            if (!done.Add(node))
            {
                return;
            }

            stack.Push((node, 0));
            while (stack.Count > 0)
            {
                var (current, next) = stack.Pop();
                if (next < current.Input.Count)
                {
                    stack.Push((current, next + 1));
                    if (producer.TryGetValue(current.Input[next], out var p) && done.Add(p))
                    {
                        stack.Push((p, 0));
                    }

                    continue;
                }

                order.Add(current);
            }
        }
    }

    private long[]? In(NodeProto node, int i) =>
        i < node.Input.Count && node.Input[i].Length > 0 ? Shapes.GetValueOrDefault(node.Input[i]) : null;

    private long[]? Value(NodeProto node, int i) =>
        i < node.Input.Count && node.Input[i].Length > 0 ? _values.GetValueOrDefault(node.Input[i]) : null;

    private bool HasInput(NodeProto node, int i) => i < node.Input.Count && node.Input[i].Length > 0;

    private void Set(NodeProto node, int i, long[]? shape)
    {
        // A negative dimension comes from a negative constant (pads, repeats, sizes) the operator would refuse at run
        // time: the shape stays unknown, as for an operator shape inference does not know.
        if (shape is null || i >= node.Output.Count || node.Output[i].Length == 0 || shape.Any(d => d < 0))
        {
            return;
        }

        if (!FitsCount(shape))
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"node '{GraphValidator.NodeLabel(node)}' ({node.OpType}) computes '{node.Output[i]}' of shape [{string.Join(",", shape)}], more than {MaxCount} elements", _path);
        }

        Shapes[node.Output[i]] = (long[])shape.Clone(); // never share arrays between values
    }

    private void SetValue(NodeProto node, int i, long[]? values)
    {
        if (values is not null && values.Length <= MaxTrackedValues && i < node.Output.Count && node.Output[i].Length > 0)
        {
            _values[node.Output[i]] = values;
        }
    }

    private void InferNode(NodeProto node)
    {
        var op = node.OpType;
        if (node.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0))
        {
            InferControlFlow(node);
            return;
        }

        if (SameShapeOps.Contains(op))
        {
            var shape = In(node, 0);
            Set(node, 0, shape);
            if (op is "Cast" or "Identity")
            {
                SetValue(node, 0, Value(node, 0));
            }

            if (op == "Dropout")
            {
                Set(node, 1, shape); // the optional mask
            }

            return;
        }

        if (BroadcastOps.Contains(op))
        {
            var shapes = new List<long[]>();
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (In(node, i) is not { } s)
                {
                    return;
                }

                shapes.Add(s);
            }

            Set(node, 0, Broadcast(shapes));
            if (op is "Add" or "Sub" or "Mul" or "Div" && Value(node, 0) is { } a && Value(node, 1) is { } b)
            {
                SetValue(node, 0, ElementwiseValues(op, a, b));
            }

            return;
        }

        if (ReduceOps.Contains(op))
        {
            InferReduce(node);
            return;
        }

        switch (op)
        {
            case "Constant":
                InferConstant(node);
                break;
            case "Conv":
            case "ConvInteger":
                InferConv(node, 0, 1);
                break;
            case "QLinearConv":
                InferConv(node, 0, 3);
                break;
            case "ConvTranspose":
                InferConvTranspose(node);
                break;
            case "MaxPool":
            case "AveragePool":
            case "LpPool":
                InferPool(node);
                break;
            case "GlobalAveragePool":
            case "GlobalMaxPool":
            case "GlobalLpPool":
                if (In(node, 0) is { Length: >= 2 } g)
                {
                    Set(node, 0, g.Select((d, i) => i < 2 ? d : 1L).ToArray());
                }

                break;
            case "Gemm":
                InferGemm(node);
                break;
            case "MatMul":
            case "MatMulInteger":
                Set(node, 0, MatMulShape(In(node, 0), In(node, 1)));
                break;
            case "QLinearMatMul":
                Set(node, 0, MatMulShape(In(node, 0), In(node, 3)));
                break;
            case "Flatten":
                InferFlatten(node);
                break;
            case "Reshape":
                InferReshape(node);
                break;
            case "Concat":
                InferConcat(node);
                break;
            case "Transpose":
                InferTranspose(node);
                break;
            case "Squeeze":
                InferSqueeze(node);
                break;
            case "Unsqueeze":
                InferUnsqueeze(node);
                break;
            case "Shape":
                InferShapeOp(node);
                break;
            case "Size":
                Set(node, 0, Array.Empty<long>());
                if (In(node, 0) is { } sized)
                {
                    SetValue(node, 0, new[] { Product(sized) });
                }

                break;
            case "Expand":
                if (In(node, 0) is { } e && Value(node, 1) is { } target)
                {
                    Set(node, 0, Broadcast(new[] { e, target }));
                }

                break;
            case "ConstantOfShape":
                if (Value(node, 0) is { } dims)
                {
                    Set(node, 0, dims);
                }

                break;
            case "NonZero":
                // The number of non-zero elements is data-dependent: no static shape.
                break;
            case "Gather":
                InferGather(node);
                break;
            case "Slice":
                InferSlice(node);
                break;
            case "Pad":
                InferPad(node);
                break;
            case "Tile":
                if (In(node, 0) is { } t && Value(node, 1) is { } repeats && repeats.Length == t.Length)
                {
                    Set(node, 0, t.Select((d, i) => checked(d * repeats[i])).ToArray());
                }

                break;
            case "ArgMax":
            case "ArgMin":
                if (In(node, 0) is { } am)
                {
                    var axis = NormalizeAxis(node.GetInt("axis", 0), am.Length);
                    Set(node, 0, ReduceShape(am, new[] { axis }, node.GetInt("keepdims", 1) != 0));
                }

                break;
            case "Split":
                InferSplit(node);
                break;
            case "Resize":
            case "Upsample":
                InferResize(node);
                break;
            case "GRU":
            case "LSTM":
            case "RNN":
                InferRecurrent(node);
                break;
        }
    }

    /// <summary>
    /// X [seq, batch, in] (layout 0) or [batch, seq, in] (layout 1), W [dirs, gates·hidden, in]: Y [seq, dirs, batch,
    /// hidden] (layout 1: [batch, seq, dirs, hidden]), Y_h and Y_c [dirs, batch, hidden] ([batch, dirs, hidden]).
    /// </summary>
    private void InferRecurrent(NodeProto node)
    {
        if (In(node, 0) is not { Length: 3 } x || In(node, 1) is not { Length: 3 } w)
        {
            return;
        }

        var hidden = node.GetInt("hidden_size", 0);
        if (hidden <= 0)
        {
            return;
        }

        var batchFirst = node.GetInt("layout", 0) != 0;
        var (seq, batch) = batchFirst ? (x[1], x[0]) : (x[0], x[1]);
        var dirs = w[0];
        Set(node, 0, batchFirst ? new[] { batch, seq, dirs, hidden } : new[] { seq, dirs, batch, hidden });
        var state = batchFirst ? new[] { batch, dirs, hidden } : new[] { dirs, batch, hidden };
        Set(node, 1, state);
        if (node.OpType == "LSTM")
        {
            Set(node, 2, state);
        }
    }

    private void InferConstant(NodeProto node)
    {
        foreach (var attr in node.Attribute)
        {
            switch (attr.Name)
            {
                case "value" when attr.T is not null:
                    SetConstant(node.Output[0], attr.T);
                    return;
                case "value_float":
                    Set(node, 0, Array.Empty<long>());
                    return;
                case "value_int":
                    Set(node, 0, Array.Empty<long>());
                    SetValue(node, 0, new[] { attr.I });
                    return;
                case "value_floats":
                    Set(node, 0, new long[] { attr.Floats.Count });
                    return;
                case "value_ints":
                    Set(node, 0, new long[] { attr.Ints.Count });
                    SetValue(node, 0, attr.Ints.ToArray());
                    return;
                case "value_string":
                    Set(node, 0, Array.Empty<long>());
                    return;
                case "value_strings":
                    Set(node, 0, new long[] { attr.Strings.Count });
                    return;
            }
        }
    }

    private void InferConv(NodeProto node, int xIndex, int wIndex)
    {
        if (In(node, xIndex) is not { Length: >= 3 } x || In(node, wIndex) is not { Length: >= 3 } w || w.Length != x.Length)
        {
            return;
        }

        var kernel = node.GetInts("kernel_shape", w[2..]);
        if (WindowOutput(x[2..], kernel, node, ceilMode: false) is { } spatial)
        {
            Set(node, 0, new[] { x[0], w[0] }.Concat(spatial).ToArray());
        }
    }

    private void InferConvTranspose(NodeProto node)
    {
        if (In(node, 0) is not { Length: >= 3 } x || In(node, 1) is not { Length: >= 3 } w || w.Length != x.Length)
        {
            return;
        }

        var kernel = node.GetInts("kernel_shape", w[2..]);
        var group = node.GetInt("group", 1);
        if (TransposedWindowOutput(x[2..], kernel, node) is { } spatial)
        {
            Set(node, 0, new[] { x[0], w[1] * group }.Concat(spatial).ToArray());
        }
    }

    private void InferPool(NodeProto node)
    {
        if (In(node, 0) is not { Length: >= 3 } x)
        {
            return;
        }

        var kernel = node.GetInts("kernel_shape", Array.Empty<long>());
        if (WindowOutput(x[2..], kernel, node, node.GetInt("ceil_mode", 0) != 0) is { } spatial)
        {
            var shape = new[] { x[0], x[1] }.Concat(spatial).ToArray();
            Set(node, 0, shape);
            Set(node, 1, shape); // MaxPool's optional indices
        }
    }

    private void InferGemm(NodeProto node)
    {
        if (In(node, 0) is not { Length: 2 } a || In(node, 1) is not { Length: 2 } b)
        {
            return;
        }

        var m = node.GetInt("transA", 0) != 0 ? a[1] : a[0];
        var n = node.GetInt("transB", 0) != 0 ? b[0] : b[1];
        Set(node, 0, new[] { m, n });
    }

    /// <summary>numpy.matmul: 1-D operands are promoted and the promoted axis removed; batch axes broadcast.</summary>
    internal static long[]? MatMulShape(long[]? a, long[]? b)
    {
        if (a is null || b is null || a.Length == 0 || b.Length == 0)
        {
            return null;
        }

        var a2 = a.Length == 1 ? new[] { 1L, a[0] } : a;
        var b2 = b.Length == 1 ? new[] { b[0], 1L } : b;
        if (a2[^1] != b2[^2])
        {
            return null;
        }

        if (Broadcast(new[] { a2[..^2], b2[..^2] }) is not { } batch)
        {
            return null;
        }

        var result = batch.ToList();
        if (a.Length > 1)
        {
            result.Add(a2[^2]);
        }

        if (b.Length > 1)
        {
            result.Add(b2[^1]);
        }

        return result.ToArray();
    }

    private void InferFlatten(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        var axis = (int)NormalizeAxis(node.GetInt("axis", 1), x.Length);
        if (axis < 0 || axis > x.Length)
        {
            return;
        }

        Set(node, 0, new[] { Product(x[..axis]), Product(x[axis..]) });
    }

    private void InferReshape(NodeProto node)
    {
        var target = node.HasAttribute("shape") && (_opset < 5 || !HasInput(node, 1))
            ? node.GetInts("shape", Array.Empty<long>())
            : Value(node, 1);
        if (target is null)
        {
            return;
        }

        var input = In(node, 0);
        var allowZero = node.GetInt("allowzero", 0) != 0;
        var output = new long[target.Length];
        var inferred = -1;
        for (var i = 0; i < target.Length; i++)
        {
            switch (target[i])
            {
                case 0 when !allowZero:
                    if (input is null || i >= input.Length)
                    {
                        return;
                    }

                    output[i] = input[i];
                    break;
                case -1:
                    if (inferred >= 0)
                    {
                        return;
                    }

                    inferred = i;
                    break;
                case < 0:
                    return;
                default:
                    output[i] = target[i];
                    break;
            }
        }

        if (inferred >= 0)
        {
            var known = Product(output.Where((_, i) => i != inferred));
            if (input is null || known == 0 || Product(input) % known != 0)
            {
                return;
            }

            output[inferred] = Product(input) / known;
        }

        Set(node, 0, output);
        SetValue(node, 0, Value(node, 0));
    }

    private void InferConcat(NodeProto node)
    {
        var shapes = new List<long[]>();
        for (var i = 0; i < node.Input.Count; i++)
        {
            if (In(node, i) is not { } s)
            {
                return;
            }

            shapes.Add(s);
        }

        if (shapes.Count == 0 || shapes.Any(s => s.Length != shapes[0].Length))
        {
            return;
        }

        var axis = (int)NormalizeAxis(node.GetInt("axis", 0), shapes[0].Length);
        if (axis < 0 || axis >= shapes[0].Length)
        {
            return;
        }

        var output = (long[])shapes[0].Clone();
        output[axis] = shapes.Sum(s => s[axis]);
        Set(node, 0, output);

        if (output.Length == 1)
        {
            var values = new List<long>();
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (Value(node, i) is not { } v)
                {
                    return;
                }

                values.AddRange(v);
            }

            SetValue(node, 0, values.ToArray());
        }
    }

    private void InferTranspose(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        var perm = node.GetInts("perm", Enumerable.Range(0, x.Length).Reverse().Select(i => (long)i).ToArray());
        if (perm.Length != x.Length || perm.Any(p => p < 0 || p >= x.Length))
        {
            return;
        }

        Set(node, 0, perm.Select(p => x[p]).ToArray());
    }

    private long[]? Axes(NodeProto node, int inputIndex) =>
        node.HasAttribute("axes") ? node.GetInts("axes", Array.Empty<long>()) : Value(node, inputIndex);

    private void InferSqueeze(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        var axes = Axes(node, 1);
        if (axes is null && HasInput(node, 1))
        {
            return; // axes computed at run time
        }

        var remove = axes is null
            ? Enumerable.Range(0, x.Length).Where(i => x[i] == 1).ToHashSet()
            : axes.Select(a => (int)NormalizeAxis(a, x.Length)).ToHashSet();
        Set(node, 0, x.Where((_, i) => !remove.Contains(i)).ToArray());
        SetValue(node, 0, Value(node, 0));
    }

    private void InferUnsqueeze(NodeProto node)
    {
        if (In(node, 0) is not { } x || Axes(node, 1) is not { } axes)
        {
            return;
        }

        var rank = x.Length + axes.Length;
        var inserted = axes.Select(a => (int)NormalizeAxis(a, rank)).ToHashSet();
        if (inserted.Count != axes.Length || inserted.Any(a => a < 0 || a >= rank))
        {
            return;
        }

        var output = new long[rank];
        var source = 0;
        for (var i = 0; i < rank; i++)
        {
            output[i] = inserted.Contains(i) ? 1 : x[source++];
        }

        Set(node, 0, output);
        SetValue(node, 0, Value(node, 0));
    }

    private void InferShapeOp(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        var start = (int)Math.Clamp(NormalizeAxis(node.GetInt("start", 0), x.Length), 0, x.Length);
        var end = (int)Math.Clamp(NormalizeAxis(node.GetInt("end", x.Length), x.Length), 0, x.Length);
        var dims = start < end ? x[start..end] : Array.Empty<long>();
        Set(node, 0, new long[] { dims.Length });
        SetValue(node, 0, dims);
    }

    private void InferGather(NodeProto node)
    {
        if (In(node, 0) is not { Length: > 0 } data || In(node, 1) is not { } indices)
        {
            return;
        }

        var axis = (int)NormalizeAxis(node.GetInt("axis", 0), data.Length);
        if (axis < 0 || axis >= data.Length)
        {
            return;
        }

        Set(node, 0, data[..axis].Concat(indices).Concat(data[(axis + 1)..]).ToArray());
        if (data.Length == 1 && Value(node, 0) is { } values && Value(node, 1) is { } idx)
        {
            var picked = idx.Select(i => i < 0 ? i + values.Length : i).ToArray();
            if (picked.All(i => i >= 0 && i < values.Length))
            {
                SetValue(node, 0, picked.Select(i => values[i]).ToArray());
            }
        }
    }

    private void InferSlice(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        long[]? starts, ends, axes, steps;
        if (_opset < 10 || node.HasAttribute("starts"))
        {
            starts = node.GetInts("starts", Array.Empty<long>());
            ends = node.GetInts("ends", Array.Empty<long>());
            axes = node.HasAttribute("axes") ? node.GetInts("axes", Array.Empty<long>()) : null;
            steps = null;
        }
        else
        {
            starts = Value(node, 1);
            ends = Value(node, 2);
            axes = HasInput(node, 3) ? Value(node, 3) : null;
            steps = HasInput(node, 4) ? Value(node, 4) : null;
            if (starts is null || ends is null || (HasInput(node, 3) && axes is null) || (HasInput(node, 4) && steps is null))
            {
                return;
            }
        }

        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            return;
        }

        var output = (long[])x.Clone();
        var ranges = new (long Start, long Step, long Count)[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            ranges[i] = (0, 1, x[i]);
        }

        for (var i = 0; i < starts.Length; i++)
        {
            var axis = (int)NormalizeAxis(axes[i], x.Length);
            if (axis < 0 || axis >= x.Length || steps[i] == 0)
            {
                return;
            }

            var dim = x[axis];
            var (start, end, step) = (starts[i], ends[i], steps[i]);
            start = start < 0 ? start + dim : start;
            end = end < 0 ? end + dim : end;
            long count;
            if (step > 0)
            {
                start = Math.Clamp(start, 0, dim);
                end = Math.Clamp(end, 0, dim);
                count = end > start ? CeilDiv(end - start, step) : 0;
            }
            else
            {
                start = Math.Clamp(start, 0, dim - 1);
                end = Math.Clamp(end, -1, dim - 1);
                count = start > end ? CeilDiv(start - end, -step) : 0;
            }

            output[axis] = count;
            ranges[axis] = (start, step, count);
        }

        Set(node, 0, output);
        // Tracked values follow their shape only when both agree (a damaged Reshape can give [5] to 3 values).
        if (x.Length == 1 && Value(node, 0) is { } values && values.Length == x[0])
        {
            var (s0, st, c) = ranges[0];
            SetValue(node, 0, Enumerable.Range(0, (int)c).Select(k => values[s0 + k * st]).ToArray());
        }
    }

    private void InferPad(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        var pads = _opset < 11 || node.HasAttribute("pads") ? node.GetInts("pads", Array.Empty<long>()) : Value(node, 1);
        if (pads is null)
        {
            return;
        }

        var axes = HasInput(node, 3)
            ? Value(node, 3)?.Select(a => NormalizeAxis(a, x.Length)).ToArray()
            : Enumerable.Range(0, x.Length).Select(i => (long)i).ToArray();
        if (axes is null || pads.Length != 2 * axes.Length)
        {
            return;
        }

        var output = (long[])x.Clone();
        for (var i = 0; i < axes.Length; i++)
        {
            if (axes[i] < 0 || axes[i] >= x.Length)
            {
                return;
            }

            output[axes[i]] = checked(output[axes[i]] + pads[i] + pads[i + axes.Length]);
        }

        Set(node, 0, output);
    }

    private void InferReduce(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        long[]? axes;
        if (node.HasAttribute("axes"))
        {
            axes = node.GetInts("axes", Array.Empty<long>());
        }
        else if (HasInput(node, 1))
        {
            axes = Value(node, 1);
            if (axes is null)
            {
                return;
            }
        }
        else
        {
            axes = Array.Empty<long>();
        }

        if (axes.Length == 0)
        {
            if (node.GetInt("noop_with_empty_axes", 0) != 0)
            {
                Set(node, 0, x);
                return;
            }

            axes = Enumerable.Range(0, x.Length).Select(i => (long)i).ToArray();
        }

        Set(node, 0, ReduceShape(x, axes.Select(a => NormalizeAxis(a, x.Length)).ToArray(), node.GetInt("keepdims", 1) != 0));
    }

    private static long[] ReduceShape(long[] x, long[] axes, bool keepDims)
    {
        var reduced = axes.ToHashSet();
        var output = new List<long>();
        for (var i = 0; i < x.Length; i++)
        {
            if (!reduced.Contains(i))
            {
                output.Add(x[i]);
            }
            else if (keepDims)
            {
                output.Add(1);
            }
        }

        return output.ToArray();
    }

    private void InferSplit(NodeProto node)
    {
        if (In(node, 0) is not { Length: > 0 } x)
        {
            return;
        }

        var axis = (int)NormalizeAxis(node.GetInt("axis", 0), x.Length);
        if (axis < 0 || axis >= x.Length)
        {
            return;
        }

        var sizes = node.HasAttribute("split") ? node.GetInts("split", Array.Empty<long>()) : HasInput(node, 1) ? Value(node, 1) : null;
        if (sizes is null)
        {
            if (HasInput(node, 1))
            {
                return;
            }

            var parts = node.Output.Count;
            var chunk = CeilDiv(x[axis], parts);
            sizes = Enumerable.Range(0, parts).Select(i => Math.Max(0, Math.Min(chunk, x[axis] - i * chunk))).ToArray();
        }

        for (var i = 0; i < node.Output.Count && i < sizes.Length; i++)
        {
            var shape = (long[])x.Clone();
            shape[axis] = sizes[i];
            Set(node, i, shape);
        }
    }

    private void InferResize(NodeProto node)
    {
        if (In(node, 0) is not { } x)
        {
            return;
        }

        // Resize (opset 11+): X, roi, scales, sizes. Resize 10 and Upsample 9: X, scales. Upsample 7: attribute.
        if (node.OpType == "Resize" && _opset >= 11 && Value(node, 3) is { } sizes && sizes.Length == x.Length)
        {
            Set(node, 0, sizes);
            return;
        }

        var scaleIndex = node.OpType == "Resize" && _opset >= 11 ? 2 : 1;
        float[]? scales = node.HasAttribute("scales")
            ? node.Attribute.First(a => a.Name == "scales").Floats.ToArray()
            : null;
        if (scales is null && HasInput(node, scaleIndex) && _floatConstants.TryGetValue(node.Input[scaleIndex], out var s))
        {
            scales = s;
        }

        if (scales is { Length: > 0 } && scales.Length == x.Length)
        {
            var scaled = x.Select((d, i) => Math.Floor(d * (double)scales[i])).ToArray();
            if (scaled.All(v => v >= 0 && v <= MaxCount)) // NaN, infinite and negative scales leave the shape unknown
            {
                Set(node, 0, scaled.Select(v => (long)v).ToArray());
            }
        }
    }

    /// <summary>If/Loop/Scan and any other node with graph attributes: walk the bodies, never drop them.</summary>
    private void InferControlFlow(NodeProto node)
    {
        switch (node.OpType)
        {
            case "If":
            {
                var thenBranch = node.Attribute.FirstOrDefault(a => a.Name == "then_branch")?.G;
                var elseBranch = node.Attribute.FirstOrDefault(a => a.Name == "else_branch")?.G;
                WalkAll(node);
                for (var i = 0; i < node.Output.Count; i++)
                {
                    var t = thenBranch is not null && i < thenBranch.Output.Count ? Shapes.GetValueOrDefault(thenBranch.Output[i].Name) : null;
                    var e = elseBranch is not null && i < elseBranch.Output.Count ? Shapes.GetValueOrDefault(elseBranch.Output[i].Name) : null;
                    if (t is not null && (e is null || t.SequenceEqual(e)))
                    {
                        Set(node, i, t);
                    }
                    else if (t is null && e is not null)
                    {
                        Set(node, i, e);
                    }
                }

                break;
            }

            case "Loop":
            {
                var body = node.Attribute.FirstOrDefault(a => a.Name == "body")?.G;
                if (body is null)
                {
                    WalkAll(node);
                    break;
                }

                // Body inputs: iteration number, condition, then the loop-carried values.
                if (body.Input.Count >= 2)
                {
                    Shapes.TryAdd(body.Input[0].Name, Array.Empty<long>());
                    Shapes.TryAdd(body.Input[1].Name, Array.Empty<long>());
                }

                var carried = Math.Max(0, node.Input.Count - 2);
                for (var k = 0; k < carried && 2 + k < body.Input.Count; k++)
                {
                    if (In(node, 2 + k) is { } s)
                    {
                        Shapes.TryAdd(body.Input[2 + k].Name, s);
                    }
                }

                WalkAll(node);
                for (var k = 0; k < node.Output.Count && 1 + k < body.Output.Count; k++)
                {
                    var bodyShape = Shapes.GetValueOrDefault(body.Output[1 + k].Name);
                    if (k < carried)
                    {
                        Set(node, k, bodyShape ?? In(node, 2 + k));
                    }
                    else if (bodyShape is not null && Value(node, 0) is [var trips])
                    {
                        // Scan outputs stack one body value per iteration (when the trip count is a constant).
                        Set(node, k, new[] { trips }.Concat(bodyShape).ToArray());
                    }
                }

                break;
            }

            default:
                WalkAll(node);
                break;
        }
    }

    private void WalkAll(NodeProto node)
    {
        foreach (var attr in node.Attribute)
        {
            if (attr.G is not null)
            {
                InferGraph(attr.G, seedInputs: true);
            }

            foreach (var g in attr.Graphs)
            {
                InferGraph(g, seedInputs: true);
            }
        }
    }

    private static long[]? ElementwiseValues(string op, long[] a, long[] b)
    {
        var n = Math.Max(a.Length, b.Length);
        if ((a.Length != n && a.Length != 1) || (b.Length != n && b.Length != 1))
        {
            return null;
        }

        var result = new long[n];
        for (var i = 0; i < n; i++)
        {
            var x = a[a.Length == 1 ? 0 : i];
            var y = b[b.Length == 1 ? 0 : i];
            switch (op)
            {
                case "Add": result[i] = checked(x + y); break;
                case "Sub": result[i] = checked(x - y); break;
                case "Mul": result[i] = checked(x * y); break;
                default:
                    if (y == 0)
                    {
                        return null;
                    }

                    result[i] = x / y;
                    break;
            }
        }

        return result;
    }
}
