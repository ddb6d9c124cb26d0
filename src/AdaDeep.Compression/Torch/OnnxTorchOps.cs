using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// ONNX operator semantics in TorchSharp: one method per operator, each taking the node (for attributes) and its
/// input tensors (null for omitted optional inputs) and returning its outputs. Follows the ONNX operator spec for the
/// model's opset (attributes that became inputs, changed defaults).
/// </summary>
internal static partial class OnnxTorchOps
{
    /// <summary>
    /// Runs one node. <paramref name="relaxedBatch"/> (see TorchGraphModule.TryRelaxFixedBatch): a Reshape whose target
    /// starts with that fixed batch size takes the batch size of its input instead.
    /// </summary>
    public static Tensor[] Run(NodeProto node, Tensor?[] inputs, long opset, int? relaxedBatch = null) => node.OpType switch
    {
        "Conv" => One(Conv(node, In(inputs, 0), In(inputs, 1), Opt(inputs, 2))),
        "Gemm" => One(Gemm(node, In(inputs, 0), In(inputs, 1), Opt(inputs, 2))),
        "MatMul" => One(MatMul(In(inputs, 0), In(inputs, 1), node)),
        "Add" => One(In(inputs, 0) + In(inputs, 1)),
        "Sub" => One(In(inputs, 0) - In(inputs, 1)),
        "Mul" => One(In(inputs, 0) * In(inputs, 1)),
        "Div" => One(Div(In(inputs, 0), In(inputs, 1))),
        "Relu" => One(F.relu(In(inputs, 0))),
        "LeakyRelu" => One(F.leaky_relu(In(inputs, 0), node.GetFloat("alpha", 0.01f))),
        "Clip" => One(Clip(node, inputs, opset)),
        "Sigmoid" => One(In(inputs, 0).sigmoid()),
        "HardSigmoid" => One((In(inputs, 0) * node.GetFloat("alpha", 0.2f) + node.GetFloat("beta", 0.5f)).clamp(0f, 1f)),
        "Tanh" => One(In(inputs, 0).tanh()),
        "MaxPool" => One(MaxPool(node, In(inputs, 0))),
        "AveragePool" => One(AveragePool(node, In(inputs, 0))),
        "GlobalAveragePool" => One(In(inputs, 0).mean(SpatialDims(In(inputs, 0)), keepdim: true)),
        "GlobalMaxPool" => One(In(inputs, 0).amax(SpatialDims(In(inputs, 0)), keepdim: true)),
        "BatchNormalization" => One(BatchNorm(node, inputs)),
        "Flatten" => One(Flatten(node, In(inputs, 0))),
        "Reshape" => One(Reshape(node, inputs, relaxedBatch)),
        "Transpose" => One(Transpose(node, In(inputs, 0))),
        "Concat" => One(cat(inputs.Where(t => t is not null).Select(t => t!).ToList(), node.GetInt("axis", 0))),
        "Softmax" => One(SoftmaxLike(node, In(inputs, 0), opset, log: false)),
        "LogSoftmax" => One(SoftmaxLike(node, In(inputs, 0), opset, log: true)),
        "Dropout" => node.Output.Count > 1 ? new[] { In(inputs, 0), ones_like(In(inputs, 0), dtype: ScalarType.Bool) } : One(In(inputs, 0)),
        "Identity" => One(In(inputs, 0)),
        "Squeeze" => One(Squeeze(node, inputs, opset)),
        "Unsqueeze" => One(Unsqueeze(node, inputs, opset)),
        "Constant" => One(ConstantValue(node)),
        "Shape" => One(Shape(node, In(inputs, 0))),
        "Gather" => One(Gather(node, In(inputs, 0), In(inputs, 1))),
        "Cast" => One(In(inputs, 0).to_type(ScalarTypeOf((int)node.GetInt("to", TensorData.Float), node))),
        _ => RunMore(node, inputs, opset),
    };

    /// <summary>A tensor holding an ONNX tensor's values (float32, or int64 for integer shapes and indices).</summary>
    public static Tensor FromOnnx(TensorProto t)
    {
        var dims = t.Dims.ToArray();
        return t.DataType switch
        {
            TensorData.Int64 or TensorData.Int32 => tensor(TensorData.ToInt64s(t), dims, ScalarType.Int64),
            TensorData.Float or (int)TensorProto.Types.DataType.Double => tensor(TensorData.ToFloats(t), dims, ScalarType.Float32),
            (int)TensorProto.Types.DataType.Bool => tensor(t.RawData.Length > 0 ? t.RawData.Select(b => b != 0).ToArray() : t.Int32Data.Select(v => v != 0).ToArray(), dims),
            _ => throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
                $"the TorchSharp bridge cannot use tensor '{t.Name}' of ONNX data type {t.DataType}"),
        };
    }

    public static long[] Longs(Tensor t)
    {
        if (t.dtype == ScalarType.Int64)
        {
            return t.data<long>().ToArray();
        }

        using var converted = t.to_type(ScalarType.Int64);
        return converted.data<long>().ToArray();
    }

    private static Tensor[] One(Tensor t) => new[] { t };

    private static Tensor In(Tensor?[] inputs, int i) =>
        i < inputs.Length && inputs[i] is { } t ? t : throw new AdaDeepException(ErrorCodes.ModelMissingInitializer, $"input {i} is missing");

    private static Tensor? Opt(Tensor?[] inputs, int i) => i < inputs.Length ? inputs[i] : null;

    private static long[] SpatialDims(Tensor x) => Enumerable.Range(2, (int)x.dim() - 2).Select(i => (long)i).ToArray();

    private static Tensor Div(Tensor a, Tensor b) =>
        IsIntegral(a.dtype) && IsIntegral(b.dtype) ? a.div(b, RoundingMode.trunc) : a / b;

    private static bool IsIntegral(ScalarType t) =>
        t is ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte;

    private static Tensor Conv(NodeProto node, Tensor x, Tensor w, Tensor? b)
    {
        var spatial = (int)w.dim() - 2;
        var kernel = node.GetInts("kernel_shape", w.shape[2..]);
        var strides = node.GetInts("strides", Filled(spatial, 1));
        var dilations = node.GetInts("dilations", Filled(spatial, 1));
        var group = node.GetInt("group", 1);
        var pads = Pads(node, x.shape[2..], kernel, strides, dilations);
        var (input, padding) = SymmetricPadding(x, pads, spatial, maxPad: null, fill: 0);
        return spatial switch
        {
            1 => F.conv1d(input, w, b, strides[0], padding[0], dilations[0], group),
            2 => F.conv2d(input, w, b, strides, padding, dilations, group),
            3 => F.conv3d(input, w, b, strides, padding, dilations, group),
            _ => throw Unsupported(node, $"{spatial}-D convolution"),
        };
    }

    private static Tensor Gemm(NodeProto node, Tensor a, Tensor b, Tensor? c)
    {
        var alpha = node.GetFloat("alpha", 1f);
        var beta = node.GetFloat("beta", 1f);
        if (node.GetInt("transA", 0) != 0)
        {
            a = a.t();
        }

        if (node.GetInt("transB", 0) != 0)
        {
            b = b.t();
        }

        var y = MatMul(a, b, node);
        if (alpha != 1f)
        {
            y = y * alpha;
        }

        if (c is not null && beta != 0f)
        {
            y = y + (beta != 1f ? c * beta : c);
        }

        return y;
    }

    /// <summary>
    /// matmul with the shapes checked first: TorchSharp 0.107.0's native THSTensor_matmul has no exception guard, so a
    /// libtorch shape error there aborts the whole process instead of raising an exception.
    /// </summary>
    internal static Tensor MatMul(Tensor a, Tensor b, NodeProto? node = null)
    {
        var sa = a.shape;
        var sb = b.shape;
        var ok = sa.Length > 0 && sb.Length > 0 && sa[^1] == (sb.Length == 1 ? sb[0] : sb[^2]);
        if (ok)
        {
            var batchA = sa.Length > 2 ? sa[..^2] : Array.Empty<long>();
            var batchB = sb.Length > 2 ? sb[..^2] : Array.Empty<long>();
            for (var i = 1; i <= Math.Min(batchA.Length, batchB.Length); i++)
            {
                var (da, db) = (batchA[^i], batchB[^i]);
                ok &= da == db || da == 1 || db == 1;
            }
        }

        if (!ok)
        {
            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                $"cannot multiply matrices of shapes [{string.Join(",", sa)}] and [{string.Join(",", sb)}]" +
                (node is null ? "" : $" (node '{GraphValidator.NodeLabel(node)}')"));
        }

        return a.matmul(b);
    }

    private static Tensor Clip(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        float? min, max;
        if (opset < 11)
        {
            min = node.HasAttribute("min") ? node.GetFloat("min", float.MinValue) : null;
            max = node.HasAttribute("max") ? node.GetFloat("max", float.MaxValue) : null;
        }
        else
        {
            min = Opt(inputs, 1) is { } lo ? lo.to_type(ScalarType.Float32).item<float>() : null;
            max = Opt(inputs, 2) is { } hi ? hi.to_type(ScalarType.Float32).item<float>() : null;
        }

        return (min, max) switch
        {
            ({ } lo2, { } hi2) => x.clamp(lo2, hi2),
            ({ } lo3, null) => x.clamp_min(lo3),
            (null, { } hi3) => x.clamp_max(hi3),
            _ => x,
        };
    }

    private static Tensor MaxPool(NodeProto node, Tensor x)
    {
        if (node.Output.Count > 1 && !string.IsNullOrEmpty(node.Output[1]))
        {
            throw Unsupported(node, "MaxPool's Indices output");
        }

        var spatial = (int)x.dim() - 2;
        var kernel = node.GetInts("kernel_shape", Array.Empty<long>());
        var strides = node.GetInts("strides", Filled(spatial, 1));
        var dilations = node.GetInts("dilations", Filled(spatial, 1));
        var ceil = node.GetInt("ceil_mode", 0) != 0;
        var pads = Pads(node, x.shape[2..], kernel, strides, dilations);
        var (input, padding) = SymmetricPadding(x, pads, spatial, maxPad: kernel.Select(k => k / 2).ToArray(), fill: float.NegativeInfinity);
        return spatial switch
        {
            1 => F.max_pool1d(input, kernel[0], strides[0], padding[0], dilations[0], ceil),
            2 => F.max_pool2d(input, kernel, strides, padding, dilations, ceil),
            3 => F.max_pool3d(input, kernel, strides, padding, dilations, ceil),
            _ => throw Unsupported(node, $"{spatial}-D pooling"),
        };
    }

    private static Tensor AveragePool(NodeProto node, Tensor x)
    {
        var spatial = (int)x.dim() - 2;
        var kernel = node.GetInts("kernel_shape", Array.Empty<long>());
        var strides = node.GetInts("strides", Filled(spatial, 1));
        var ceil = node.GetInt("ceil_mode", 0) != 0;
        var countIncludePad = node.GetInt("count_include_pad", 0) != 0;
        var pads = Pads(node, x.shape[2..], kernel, strides, Filled(spatial, 1));
        var symmetric = Enumerable.Range(0, spatial).All(i => pads[i] == pads[i + spatial] && pads[i] <= kernel[i] / 2);
        if (symmetric)
        {
            return AvgPool(x, kernel, strides, pads[..spatial], ceil, countIncludePad, node);
        }

        // Asymmetric padding: pool the zero-padded input; without count_include_pad divide by the pooled mask of
        // real (unpadded) positions instead of the kernel size.
        var torchPads = TorchPadOrder(pads, spatial);
        var zeroPads = Filled(spatial, 0);
        var sum = AvgPool(F.pad(x, torchPads), kernel, strides, zeroPads, ceil, true, node);
        if (countIncludePad)
        {
            return sum;
        }

        var mask = F.pad(ones(new long[] { 1, 1 }.Concat(x.shape[2..]).ToArray(), dtype: x.dtype), torchPads);
        return sum / AvgPool(mask, kernel, strides, zeroPads, ceil, true, node);
    }

    private static Tensor AvgPool(Tensor x, long[] kernel, long[] strides, long[] padding, bool ceil, bool countIncludePad, NodeProto node) =>
        kernel.Length switch
        {
            1 => F.avg_pool1d(x, kernel[0], strides[0], padding[0], ceil, countIncludePad),
            2 => F.avg_pool2d(x, kernel, strides, padding, ceil, countIncludePad),
            3 => F.avg_pool3d(x, kernel, strides, padding, ceil, countIncludePad),
            _ => throw Unsupported(node, $"{kernel.Length}-D pooling"),
        };

    private static Tensor BatchNorm(NodeProto node, Tensor?[] inputs)
    {
        if (node.GetInt("training_mode", 0) != 0)
        {
            throw Unsupported(node, "BatchNormalization in training mode");
        }

        return F.batch_norm(In(inputs, 0), In(inputs, 3), In(inputs, 4), In(inputs, 1), In(inputs, 2),
            training: false, momentum: node.GetFloat("momentum", 0.9f), eps: node.GetFloat("epsilon", 1e-5f));
    }

    private static Tensor Flatten(NodeProto node, Tensor x)
    {
        var rank = (int)x.dim();
        var axis = (int)node.GetInt("axis", 1);
        if (axis < 0)
        {
            axis += rank;
        }

        var outer = x.shape[..axis].Aggregate(1L, (a, b) => a * b);
        return x.reshape(outer, -1);
    }

    private static Tensor Reshape(NodeProto node, Tensor?[] inputs, int? relaxedBatch)
    {
        var x = In(inputs, 0);
        var shape = Opt(inputs, 1) is { } s ? Longs(s) : node.GetInts("shape", Array.Empty<long>());
        var allowZero = node.GetInt("allowzero", 0) != 0;
        var target = shape.Select((d, i) => d == 0 && !allowZero ? x.shape[i] : d).ToArray();
        if (relaxedBatch is { } batch && target.Length > 0 && x.dim() > 0 && target[0] == batch && x.shape[0] != batch)
        {
            target[0] = x.shape[0];
        }

        return x.reshape(target);
    }

    private static Tensor Transpose(NodeProto node, Tensor x)
    {
        var rank = (int)x.dim();
        var perm = node.GetInts("perm", Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray());
        return x.permute(perm);
    }

    private static Tensor SoftmaxLike(NodeProto node, Tensor x, long opset, bool log)
    {
        var rank = (int)x.dim();
        if (opset >= 13)
        {
            var dim = node.GetInt("axis", -1);
            return log ? F.log_softmax(x, dim) : F.softmax(x, dim);
        }

        // Before opset 13 the input is coerced to 2-D at axis (default 1) and normalised over the second dimension.
        var axis = (int)node.GetInt("axis", 1);
        if (axis < 0)
        {
            axis += rank;
        }

        var outer = x.shape[..axis].Aggregate(1L, (a, b) => a * b);
        var flat = x.reshape(outer, -1);
        return (log ? F.log_softmax(flat, 1) : F.softmax(flat, 1)).reshape(x.shape);
    }

    private static Tensor Squeeze(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        var rank = (int)x.dim();
        var axes = opset >= 13 ? (Opt(inputs, 1) is { } a ? Longs(a) : null) : node.HasAttribute("axes") ? node.GetInts("axes", Array.Empty<long>()) : null;
        if (axes is null)
        {
            return x.reshape(x.shape.Where(d => d != 1).ToArray());
        }

        var drop = axes.Select(ax => ax < 0 ? ax + rank : ax).ToHashSet();
        return x.reshape(x.shape.Where((_, i) => !drop.Contains(i)).ToArray());
    }

    private static Tensor Unsqueeze(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        var axes = opset >= 13 ? Longs(In(inputs, 1)) : node.GetInts("axes", Array.Empty<long>());
        var outRank = (int)x.dim() + axes.Length;
        var inserted = axes.Select(ax => ax < 0 ? ax + outRank : ax).ToHashSet();
        var shape = new long[outRank];
        var next = 0;
        for (var i = 0; i < outRank; i++)
        {
            shape[i] = inserted.Contains(i) ? 1 : x.shape[next++];
        }

        return x.reshape(shape);
    }

    private static Tensor ConstantValue(NodeProto node)
    {
        var attr = node.Attribute.FirstOrDefault() ?? throw Unsupported(node, "a Constant without a value");
        return attr.Name switch
        {
            "value" => FromOnnx(attr.T),
            "value_float" => tensor(attr.F),
            "value_floats" => tensor(attr.Floats.ToArray()),
            "value_int" => tensor(attr.I),
            "value_ints" => tensor(attr.Ints.ToArray()),
            _ => throw Unsupported(node, $"a Constant given by '{attr.Name}'"),
        };
    }

    private static Tensor Shape(NodeProto node, Tensor x)
    {
        var rank = (int)x.dim();
        var start = (int)node.GetInt("start", 0);
        var end = (int)node.GetInt("end", rank);
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        return tensor(x.shape[start..Math.Max(start, end)], ScalarType.Int64);
    }

    private static Tensor Gather(NodeProto node, Tensor data, Tensor indices)
    {
        var rank = (int)data.dim();
        var axis = (int)node.GetInt("axis", 0);
        if (axis < 0)
        {
            axis += rank;
        }

        var index = indices.to_type(ScalarType.Int64);
        index = where(index < 0, index + data.shape[axis], index);
        var picked = data.index_select(axis, index.flatten());
        var shape = data.shape[..axis].Concat(indices.shape).Concat(data.shape[(axis + 1)..]).ToArray();
        return picked.reshape(shape);
    }

    private static ScalarType ScalarTypeOf(int onnxType, NodeProto node) => (TensorProto.Types.DataType)onnxType switch
    {
        TensorProto.Types.DataType.Float => ScalarType.Float32,
        TensorProto.Types.DataType.Double => ScalarType.Float64,
        TensorProto.Types.DataType.Int64 => ScalarType.Int64,
        TensorProto.Types.DataType.Int32 => ScalarType.Int32,
        TensorProto.Types.DataType.Bool => ScalarType.Bool,
        _ => throw Unsupported(node, $"Cast to ONNX data type {onnxType}"),
    };

    /// <summary>ONNX pads [begin_1..begin_n, end_1..end_n], resolving auto_pad from the input's spatial shape.</summary>
    private static long[] Pads(NodeProto node, long[] inputSpatial, long[] kernel, long[] strides, long[] dilations)
    {
        var spatial = inputSpatial.Length;
        var autoPad = node.GetString("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET" or "":
                return node.GetInts("pads", Filled(2 * spatial, 0));
            case "VALID":
                return Filled(2 * spatial, 0);
            case "SAME_UPPER" or "SAME_LOWER":
                var pads = new long[2 * spatial];
                for (var i = 0; i < spatial; i++)
                {
                    var output = (inputSpatial[i] + strides[i] - 1) / strides[i];
                    var effectiveKernel = (kernel[i] - 1) * dilations[i] + 1;
                    var total = Math.Max(0, (output - 1) * strides[i] + effectiveKernel - inputSpatial[i]);
                    var small = total / 2;
                    (pads[i], pads[i + spatial]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }

                return pads;
            default:
                throw Unsupported(node, $"auto_pad '{autoPad}'");
        }
    }

    /// <summary>
    /// Torch pads symmetrically (and pooling at most half the kernel): when the ONNX pads fit, pass them on; otherwise
    /// pad explicitly with <paramref name="fill"/> and let the operator pad nothing.
    /// </summary>
    private static (Tensor Input, long[] Padding) SymmetricPadding(Tensor x, long[] pads, int spatial, long[]? maxPad, double fill)
    {
        var fits = Enumerable.Range(0, spatial).All(i => pads[i] == pads[i + spatial] && (maxPad is null || pads[i] <= maxPad[i]));
        if (fits)
        {
            return (x, pads[..spatial]);
        }

        return (F.pad(x, TorchPadOrder(pads, spatial), PaddingModes.Constant, fill), Filled(spatial, 0));
    }

    /// <summary>ONNX [b1, b2, e1, e2] → torch's last-dimension-first [b2, e2, b1, e1].</summary>
    private static long[] TorchPadOrder(long[] pads, int spatial)
    {
        var result = new long[2 * spatial];
        for (var i = 0; i < spatial; i++)
        {
            var dim = spatial - 1 - i;
            result[2 * i] = pads[dim];
            result[2 * i + 1] = pads[dim + spatial];
        }

        return result;
    }

    private static long[] Filled(int count, long value) => Enumerable.Repeat(value, count).ToArray();

    private static AdaDeepException Unsupported(NodeProto node, string what) =>
        new(ErrorCodes.TechniqueNotApplicable, $"the TorchSharp bridge does not support {what} (node '{GraphValidator.NodeLabel(node)}')");
}
