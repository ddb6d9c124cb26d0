using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// The operators real exports add beyond plain CNNs (MobileNetV2/V3, ShuffleNetV2, SqueezeNet, EfficientNet-lite,
/// keyword-spotting RNNs): slicing and splitting, padding, resizing, reductions, more activations and elementwise math,
/// and the shape arithmetic exporters generate. Semantics per the ONNX operator spec for the model's opset.
/// </summary>
internal static partial class OnnxTorchOps
{
    private static Tensor[] RunMore(NodeProto node, Tensor?[] inputs, long opset) => node.OpType switch
    {
        "Slice" => One(Slice(node, inputs, opset)),
        "Split" => Split(node, inputs, opset),
        "Pad" => One(Pad(node, inputs, opset)),
        "Resize" or "Upsample" => One(Resize(node, inputs, opset)),
        "HardSwish" => One(In(inputs, 0) * (In(inputs, 0) / 6f + 0.5f).clamp(0f, 1f)),
        "Exp" => One(In(inputs, 0).exp()),
        "Log" => One(In(inputs, 0).log()),
        "Sqrt" => One(In(inputs, 0).sqrt()),
        "Neg" => One(In(inputs, 0).neg()),
        "Abs" => One(In(inputs, 0).abs()),
        "Reciprocal" => One(In(inputs, 0).reciprocal()),
        "Erf" => One(In(inputs, 0).erf()),
        "Floor" => One(In(inputs, 0).floor()),
        "Ceil" => One(In(inputs, 0).ceil()),
        "Pow" => One(In(inputs, 0).pow(In(inputs, 1))),
        "Softplus" => One(F.softplus(In(inputs, 0))),
        "Elu" => One(F.elu(In(inputs, 0), node.GetFloat("alpha", 1f))),
        "Selu" => One(Selu(node, In(inputs, 0))),
        "PRelu" => One(where(In(inputs, 0) >= 0, In(inputs, 0), In(inputs, 0) * In(inputs, 1))),
        "Gelu" => One(Gelu(node, In(inputs, 0))),
        "Max" => One(Variadic(inputs, maximum)),
        "Min" => One(Variadic(inputs, minimum)),
        "Sum" => One(Variadic(inputs, (a, b) => a + b)),
        "ReduceMean" => One(Reduce(node, inputs, opset, (x, dims, keep) => x.mean(dims, keep))),
        "ReduceSum" => One(Reduce(node, inputs, opset, (x, dims, keep) => x.sum(dims, keep))),
        "ReduceMax" => One(Reduce(node, inputs, opset, (x, dims, keep) => x.amax(dims, keep))),
        "ReduceMin" => One(Reduce(node, inputs, opset, (x, dims, keep) => x.amin(dims, keep))),
        "Expand" => One(In(inputs, 0).expand(Broadcast(In(inputs, 0).shape, Longs(In(inputs, 1))))),
        "Tile" => One(In(inputs, 0).repeat(Longs(In(inputs, 1)))),
        "ConstantOfShape" => One(ConstantOfShape(node, In(inputs, 0))),
        "Range" => One(Range(In(inputs, 0), In(inputs, 1), In(inputs, 2))),
        "Equal" => One(In(inputs, 0).eq(In(inputs, 1))),
        "Less" => One(In(inputs, 0).lt(In(inputs, 1))),
        "Greater" => One(In(inputs, 0).gt(In(inputs, 1))),
        "Not" => One(In(inputs, 0).logical_not()),
        "Where" => One(where(In(inputs, 0), In(inputs, 1), In(inputs, 2))),
        "Size" => One(tensor(In(inputs, 0).numel(), ScalarType.Int64)),
        "GRU" => Recurrent.Gru(node, inputs),
        "LSTM" => Recurrent.Lstm(node, inputs),
        _ => throw Unsupported(node, $"op '{node.OpType}'"),
    };

    private static Tensor Selu(NodeProto node, Tensor x)
    {
        var alpha = node.GetFloat("alpha", 1.67326319217681884765625f);
        var gamma = node.GetFloat("gamma", 1.05070102214813232421875f);
        return where(x > 0, x * gamma, (x.exp() - 1) * (alpha * gamma));
    }

    private static Tensor Gelu(NodeProto node, Tensor x) =>
        node.GetString("approximate", "none") == "tanh"
            ? 0.5f * x * (1 + ((x + 0.044715f * x.pow(3)) * MathF.Sqrt(2f / MathF.PI)).tanh())
            : 0.5f * x * (1 + (x / MathF.Sqrt(2f)).erf());

    private static Tensor Variadic(Tensor?[] inputs, Func<Tensor, Tensor, Tensor> combine) =>
        inputs.Where(t => t is not null).Select(t => t!).Aggregate(combine);

    private static Tensor Slice(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        var rank = (int)x.dim();
        long[] starts, ends, axes, steps;
        if (opset < 10)
        {
            starts = node.GetInts("starts", Array.Empty<long>());
            ends = node.GetInts("ends", Array.Empty<long>());
            axes = node.GetInts("axes", Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray());
            steps = Filled(starts.Length, 1);
        }
        else
        {
            starts = Longs(In(inputs, 1));
            ends = Longs(In(inputs, 2));
            axes = Opt(inputs, 3) is { } a ? Longs(a) : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = Opt(inputs, 4) is { } s ? Longs(s) : Filled(starts.Length, 1);
        }

        for (var i = 0; i < starts.Length; i++)
        {
            var axis = axes[i] < 0 ? axes[i] + rank : axes[i];
            var dim = x.shape[axis];
            var step = steps[i];
            var start = starts[i] < 0 ? starts[i] + dim : starts[i];
            var end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0)
            {
                start = Math.Clamp(start, 0, dim);
                end = Math.Clamp(end, 0, dim);
                x = end > start ? x.slice(axis, start, end, step) : x.narrow(axis, start, 0);
                continue;
            }

            // Negative steps walk backwards from start (clamped to the last element) down to, not including, end.
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
            var picked = new List<long>();
            for (var j = start; j > end; j += step)
            {
                picked.Add(j);
            }

            x = x.index_select(axis, tensor(picked.ToArray(), ScalarType.Int64));
        }

        return x;
    }

    private static Tensor[] Split(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        var axis = node.GetInt("axis", 0);
        if (axis < 0)
        {
            axis += x.dim();
        }

        var parts = node.Output.Count;
        var sizes = opset >= 13 ? (Opt(inputs, 1) is { } s ? Longs(s) : null) : node.HasAttribute("split") ? node.GetInts("split", Array.Empty<long>()) : null;
        if (sizes is null)
        {
            // Equal parts; opset 18's num_outputs lets the last one be smaller.
            var dim = x.shape[axis];
            var each = (dim + parts - 1) / parts;
            sizes = Enumerable.Range(0, parts).Select(i => Math.Min(each, Math.Max(0, dim - i * each))).ToArray();
        }

        return x.split(sizes, axis);
    }

    private static Tensor Pad(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        var rank = (int)x.dim();
        var pads = opset >= 11 ? Longs(In(inputs, 1)) : node.GetInts(opset >= 2 ? "pads" : "paddings", Array.Empty<long>());
        var value = opset >= 11 ? (Opt(inputs, 2) is { } v && v.numel() > 0 ? v.to_type(ScalarType.Float32).item<float>() : 0f) : node.GetFloat("value", 0f);
        var axes = Opt(inputs, 3) is { } a ? Longs(a).Select(ax => ax < 0 ? ax + rank : ax).ToArray() : Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        var full = new long[2 * rank];
        for (var i = 0; i < axes.Length; i++)
        {
            full[axes[i]] = pads[i];
            full[axes[i] + rank] = pads[i + axes.Length];
        }

        // Torch takes (last_begin, last_end, previous_begin, …) and only as many dims as it pads.
        var used = rank;
        while (used > 0 && full[used - 1] == 0 && full[used - 1 + rank] == 0)
        {
            used--;
        }

        var torchPads = new List<long>();
        for (var d = used - 1; d >= 0; d--)
        {
            torchPads.Add(full[d]);
            torchPads.Add(full[d + rank]);
        }

        if (torchPads.Count == 0)
        {
            return x.alias();
        }

        var mode = node.GetString("mode", "constant");
        return mode switch
        {
            "constant" => F.pad(x, torchPads.ToArray(), PaddingModes.Constant, value),
            "reflect" => F.pad(x, TrailingPads(node, torchPads, rank), PaddingModes.Reflect),
            "edge" => F.pad(x, TrailingPads(node, torchPads, rank), PaddingModes.Replicate),
            "wrap" => F.pad(x, TrailingPads(node, torchPads, rank), PaddingModes.Circular),
            _ => throw Unsupported(node, $"Pad mode '{mode}'"),
        };
    }

    /// <summary>Torch pads reflect/edge/wrap only over the trailing dims after batch and channel.</summary>
    private static long[] TrailingPads(NodeProto node, List<long> torchPads, int rank) =>
        torchPads.Count / 2 <= rank - 2 && rank is >= 3 and <= 5 ? torchPads.ToArray() : throw Unsupported(node, "Pad over the batch or channel axis outside constant mode");

    private static Tensor Resize(NodeProto node, Tensor?[] inputs, long opset)
    {
        var x = In(inputs, 0);
        var rank = (int)x.dim();
        var scalesInput = node.OpType == "Upsample" || opset < 11 ? Opt(inputs, 1) : Opt(inputs, 2);
        var sizesInput = node.OpType == "Resize" && opset >= 11 ? Opt(inputs, 3) : null;
        var sizes = sizesInput is { } sz && sz.numel() > 0 ? Longs(sz) : null;
        var scales = sizes is null && scalesInput is { } sc && sc.numel() > 0 ? sc.to_type(ScalarType.Float32).data<float>().ToArray()
            : sizes is null ? node.GetInts("scales", Array.Empty<long>()).Select(v => (float)v).ToArray() : null;
        if (rank < 3 || (scales is not null && (scales.Length != rank || scales[0] != 1 || scales[1] != 1)) ||
            (sizes is not null && (sizes.Length != rank || sizes[0] != x.shape[0] || sizes[1] != x.shape[1])) || node.HasAttribute("axes"))
        {
            throw Unsupported(node, "Resize other than of the spatial axes");
        }

        var mode = node.GetString("mode", "nearest");
        var transform = node.GetString("coordinate_transformation_mode", opset >= 11 ? "half_pixel" : "asymmetric");
        var outSize = sizes?[2..] ?? Enumerable.Range(2, rank - 2).Select(i => (long)Math.Floor(x.shape[i] * scales![i])).ToArray();
        var scaleFactors = scales?[2..].Select(v => (double)v).ToArray();
        if (mode == "nearest" && (transform == "asymmetric" || opset < 11) &&
            node.GetString("nearest_mode", opset >= 11 ? "round_prefer_floor" : "floor") == "floor")
        {
            return scaleFactors is not null
                ? F.interpolate(x, scale_factor: scaleFactors, mode: InterpolationMode.Nearest)
                : F.interpolate(x, size: outSize, mode: InterpolationMode.Nearest);
        }

        if (mode == "linear" && rank == 4 && transform is "half_pixel" or "pytorch_half_pixel" or "align_corners")
        {
            var alignCorners = transform == "align_corners";
            var outputIsOne = outSize.Any(s => s == 1);
            if (transform == "half_pixel" && outputIsOne)
            {
                throw Unsupported(node, "half_pixel Resize to a size of 1");
            }

            return scaleFactors is not null && !alignCorners
                ? F.interpolate(x, scale_factor: scaleFactors, mode: InterpolationMode.Bilinear, align_corners: false)
                : F.interpolate(x, size: outSize, mode: InterpolationMode.Bilinear, align_corners: alignCorners);
        }

        throw Unsupported(node, $"Resize mode '{mode}' with coordinate_transformation_mode '{transform}'");
    }

    private static Tensor Reduce(NodeProto node, Tensor?[] inputs, long opset, Func<Tensor, long[], bool, Tensor> reduce)
    {
        var x = In(inputs, 0);
        var rank = (int)x.dim();
        var axesAsInput = node.OpType == "ReduceSum" ? opset >= 13 : opset >= 18;
        var axes = axesAsInput ? (Opt(inputs, 1) is { } a ? Longs(a) : Array.Empty<long>()) : node.GetInts("axes", Array.Empty<long>());
        var keep = node.GetInt("keepdims", 1) != 0;
        if (axes.Length == 0)
        {
            if (node.GetInt("noop_with_empty_axes", 0) != 0)
            {
                return x.alias();
            }

            axes = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        }

        return reduce(x, axes.Select(ax => ax < 0 ? ax + rank : ax).ToArray(), keep);
    }

    /// <summary>Expand's bidirectional broadcast of the input shape with the requested one.</summary>
    private static long[] Broadcast(long[] a, long[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    private static Tensor ConstantOfShape(NodeProto node, Tensor shape)
    {
        var value = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
        var dims = Longs(shape);
        if (value is null)
        {
            return zeros(dims, ScalarType.Float32);
        }

        using var one = FromOnnx(value);
        return one.reshape(1).expand(dims.Length == 0 ? Array.Empty<long>() : dims).contiguous().reshape(dims);
    }

    private static Tensor Range(Tensor start, Tensor limit, Tensor delta)
    {
        if (start.dtype == ScalarType.Int64)
        {
            return arange(start.item<long>(), limit.item<long>(), delta.item<long>(), ScalarType.Int64);
        }

        return arange(start.to_type(ScalarType.Float32).item<float>(), limit.to_type(ScalarType.Float32).item<float>(),
            delta.to_type(ScalarType.Float32).item<float>(), ScalarType.Float32);
    }
}
