using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// P1 (beyond the paper): structured channel pruning (Li et al., "Pruning Filters for Efficient ConvNets").
/// The ⌊ChannelPruneRatio·Cout⌋ output channels of a conv with the smallest L1 norm are removed, and every
/// consumer is narrowed to match: per-channel constants of Add/Mul/Sub/Div, BatchNormalization parameters, the
/// input channels of the next Conv, or — after a Flatten or a 2-D Reshape — the fc weight entries of each removed
/// channel's spatial block. Channel-preserving ops (activations, pooling, Dropout) are followed. Anything else
/// on the way (a concat, a residual add, a graph output) makes the technique refuse.
/// </summary>
public sealed class ChannelPruningTechnique : TechniqueBase
{
    private static readonly HashSet<string> PassThrough = new()
    {
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Identity",
        "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "Dropout", "Clip",
    };

    public override string Id => "P1";

    public override string Description => "structured pruning of a conv's output channels (smallest L1 norm)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        Plan(index, node, model.OpsetVersion, out var reason) is null ? Applicability.No(reason) : Applicability.Yes;

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        RequireFraction(options.ChannelPruneRatio, nameof(options.ChannelPruneRatio));

        var plan = Plan(s.Index, node, s.Opset, out _)!;
        var conv = plan.Conv;
        var remove = Math.Min((int)Math.Floor(options.ChannelPruneRatio * conv.OutChannels + 1e-9), conv.OutChannels - 1);
        if (remove < 1)
        {
            throw NotApplicable(s.Model, node.Name,
                $"a ratio of {options.ChannelPruneRatio} removes no channel of the {conv.OutChannels} of '{node.Name}'");
        }

        var perChannel = conv.OutChannels == 0 ? 0 : conv.Weight.Length / conv.OutChannels;
        var keep = Enumerable.Range(0, conv.OutChannels)
            .OrderByDescending(o => conv.Weight.Skip(o * perChannel).Take(perChannel).Sum(Math.Abs))
            .ThenBy(o => o)
            .Take(conv.OutChannels - remove)
            .Order()
            .ToArray();

        foreach (var edit in plan.Edits)
        {
            edit(s, keep);
        }

        foreach (var value in plan.Touched)
        {
            s.ForgetShape(value);
        }
    }

    private sealed record PrunePlan(ConvLayer Conv, List<Action<RewriteSession, int[]>> Edits, List<string> Touched);

    private static PrunePlan? Plan(GraphIndex index, NodeProto node, long opset, out string reason)
    {
        var conv = ConvLayer.TryDescribe(index, node, out reason);
        if (conv is null)
        {
            return null;
        }

        var channels = conv.OutChannels;
        if (channels < 2)
        {
            reason = $"Conv '{node.Name}' has a single output channel";
            return null;
        }

        var edits = new List<Action<RewriteSession, int[]>>
        {
            (s, keep) => ReplaceConstant(s, node, 1, keep, axis: 0, Stem(node, "p1_weight")),
        };
        if (conv.Bias is not null)
        {
            edits.Add((s, keep) => ReplaceConstant(s, node, 2, keep, axis: 0, Stem(node, "p1_bias")));
        }

        var touched = new List<string>();
        var pending = new Stack<string>();
        pending.Push(node.Output[0]);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (index.IsGraphOutput(value))
            {
                reason = $"the pruned channels reach the graph output '{value}'";
                return null;
            }

            touched.Add(value);
            foreach (var consumer in index.Consumers(value))
            {
                var failure = Follow(index, opset, consumer, value, channels, edits, touched, pending);
                if (failure is not null)
                {
                    reason = failure;
                    return null;
                }
            }
        }

        return new PrunePlan(conv, edits, touched);
    }

    // Handles one consumer of a value carrying the conv's channels; returns a reason when it cannot be adjusted.
    private static string? Follow(GraphIndex index, long opset, NodeProto n, string value, int channels,
        List<Action<RewriteSession, int[]>> edits, List<string> touched, Stack<string> pending)
    {
        var label = $"{n.OpType} '{n.Name}'";
        if (PassThrough.Contains(n.OpType))
        {
            if (n.Input[0] != value || n.Input.Skip(1).Any(i => i.Length > 0 && Constants.TryTensor(index, i) is null))
            {
                return $"{label} reads the pruned channels in a way P1 cannot follow";
            }

            if (n.OpType == "PRelu" && Constants.TryFloat(index, n.Input[1]) is { Count: > 1 })
            {
                return $"{label} has per-channel slopes";
            }

            if (n.Output.Skip(1).Any(o => o.Length > 0 && index.Consumers(o).Count > 0))
            {
                return $"{label} has a second output in use";
            }

            pending.Push(n.Output[0]);
            return null;
        }

        switch (n.OpType)
        {
            case "Add" or "Sub" or "Mul" or "Div" when n.Input.Count == 2:
            {
                var slot = n.Input[0] == value ? 1 : 0;
                if (n.Input[slot] == value)
                {
                    return $"{label} combines the pruned value with itself";
                }

                var other = Constants.TryFloat(index, n.Input[slot]);
                if (other is null)
                {
                    return $"{label} joins the pruned channels with another branch";
                }

                if (other.Count != 1)
                {
                    var rank = other.Dims.Length;
                    var channelShaped = rank >= 3 && other.Dims[rank - 3] == channels &&
                                        other.Dims.Skip(rank - 2).All(d => d == 1) && other.Dims.Take(rank - 3).All(d => d == 1);
                    if (!channelShaped)
                    {
                        return $"{label} applies a constant of shape [{string.Join(",", other.Dims)}], not one value per channel";
                    }

                    edits.Add((s, keep) => ReplaceConstant(s, n, slot, keep, rank - 3, Stem(n, "p1_constant")));
                }

                pending.Push(n.Output[0]);
                return null;
            }

            case "BatchNormalization":
            {
                if (n.Input[0] != value || Enumerable.Range(1, 4).Any(i => Constants.TryFloat(index, n.Input[i]) is not { } t || t.Count != channels))
                {
                    return $"{label} does not have constant per-channel parameters";
                }

                if (n.Output.Skip(1).Any(o => o.Length > 0 && index.Consumers(o).Count > 0))
                {
                    return $"{label} is in training mode (running statistics are used)";
                }

                for (var i = 1; i <= 4; i++)
                {
                    var slot = i;
                    edits.Add((s, keep) => ReplaceConstant(s, n, slot, keep, 0, Stem(n, "p1_bn")));
                }

                pending.Push(n.Output[0]);
                return null;
            }

            case "Conv":
            {
                var next = ConvLayer.TryDescribe(index, n, out var why);
                if (next is null || n.Input[0] != value)
                {
                    return $"the next {label} cannot be narrowed: {(next is null ? why : "it reads the channels as a weight")}";
                }

                if (next.InChannels != channels)
                {
                    return $"{label} expects {next.InChannels} input channels, not {channels}";
                }

                edits.Add((s, keep) => ReplaceConstant(s, n, 1, keep, 1, Stem(n, "p1_weight")));
                return null;
            }

            case "Flatten" or "Reshape":
                return FollowFlatten(index, opset, n, value, channels, edits, touched);

            default:
                return $"{label} consumes the pruned channels and P1 cannot adjust it";
        }
    }

    private static string? FollowFlatten(GraphIndex index, long opset, NodeProto n, string value, int channels,
        List<Action<RewriteSession, int[]>> edits, List<string> touched)
    {
        var label = $"{n.OpType} '{n.Name}'";
        long[]? shape = null;
        if (n.OpType == "Flatten" ? n.GetInt("axis", 1) != 1 : n.Input[0] != value ||
            (shape = Constants.TryInt64s(index, n.Input[1])) is not { Length: 2 })
        {
            return $"{label} does not flatten [N, C, H, W] to [N, C·H·W]";
        }

        var flat = n.Output[0];
        if (index.IsGraphOutput(flat))
        {
            return $"the flattened features '{flat}' are a graph output";
        }

        var consumers = index.Consumers(flat);
        if (consumers.Count == 0)
        {
            return $"nothing reads the flattened features of {label}";
        }

        int? features = null;
        foreach (var fcNode in consumers)
        {
            var fc = FcLayer.TryDescribe(index, fcNode, opset, out var why);
            if (fc is null || fcNode.Input[0] != flat)
            {
                return $"the flattened channels feed {fcNode.OpType} '{fcNode.Name}', which P1 cannot narrow{(fc is null ? ": " + why : "")}";
            }

            if (fc.In % channels != 0 || features is { } f && f != fc.In)
            {
                return $"fc '{fcNode.Name}' has {fc.In} inputs, not a whole block per channel of {channels}";
            }

            features = fc.In;
            var axis = fcNode.OpType == "Gemm" && fcNode.GetInt("transB", 0) != 0 ? 1 : 0;
            edits.Add((s, keep) => ReplaceConstant(s, fcNode, 1, FeatureIndices(keep, fc.In / channels), axis, Stem(fcNode, "p1_weight")));
        }

        if (shape is not null)
        {
            if (shape[1] != features && shape[1] != -1)
            {
                return $"{label} reshapes to [{string.Join(",", shape)}], which P1 cannot rescale";
            }

            if (shape[1] == features)
            {
                var spatial = features!.Value / channels;
                edits.Add((s, keep) =>
                {
                    var name = s.AddInt64s(Stem(n, "p1_shape"), new[] { shape[0], (long)keep.Length * spatial });
                    RewriteSession.SetInput(n, 1, name);
                });
            }
        }

        touched.Add(flat);
        return null;
    }

    private static int[] FeatureIndices(int[] keptChannels, int spatial) =>
        keptChannels.SelectMany(c => Enumerable.Range(c * spatial, spatial)).ToArray();

    /// <summary>Replaces a constant input by its slice along one axis (kept indices in order).</summary>
    private static void ReplaceConstant(RewriteSession s, NodeProto node, int inputIndex, int[] keep, int axis, string stem)
    {
        var t = Constants.TryFloat(s.Index, node.Input[inputIndex])!;
        var (values, dims) = SliceAxis(t.Values, t.Dims, axis, keep);
        RewriteSession.SetInput(node, inputIndex, s.AddFloats(stem, dims, values));
    }

    internal static (float[] Values, long[] Dims) SliceAxis(float[] values, long[] dims, int axis, int[] keep)
    {
        long outer = 1, inner = 1;
        for (var d = 0; d < axis; d++)
        {
            outer *= dims[d];
        }

        for (var d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        var size = dims[axis];
        var result = new float[outer * keep.Length * inner];
        var at = 0L;
        for (var o = 0L; o < outer; o++)
        {
            foreach (var k in keep)
            {
                Array.Copy(values, (o * size + k) * inner, result, at, inner);
                at += inner;
            }
        }

        var newDims = (long[])dims.Clone();
        newDims[axis] = keep.Length;
        return (result, newDims);
    }
}
