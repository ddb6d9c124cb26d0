using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>
/// The dependency group of a conv's output channels (the approach of torch-pruning / NNI ModelSpeedup): every
/// value that carries those channels, found by following the channel dimension forwards and backwards, and every
/// node whose weights must lose the same channels for the graph to stay consistent.
/// <para>
/// The group's channel indices are the seed conv's output channels 0..C-1. Each value in the group has an owner
/// array over its own channels: owner[c] = the group index that channel c carries, or -1 when c is outside the
/// group (a concatenated branch that is not pruned). Removing group index i removes every channel owned by i, in
/// every value. The walk:
/// </para>
/// <list type="bullet">
/// <item>channel-preserving ops (activations, pooling, Dropout/Identity, Clip) and BatchNormalization (parameters
/// sliced) and element-wise Add/Sub/Mul/Div pass the owners through; a per-channel constant operand is sliced, a
/// second feature map is coupled (a residual add: its producer joins the group, recursively);</item>
/// <item>a depthwise Conv (group = Cin = Cout) couples its input and output: its filters are pruned and its
/// group attribute shrinks;</item>
/// <item>Concat on axis 1 places each input's owners at its offset; walking backwards, each input gets its
/// slice of the output's owners;</item>
/// <item>a group-1 Conv producing a value of the group is a member (its output filters are pruned); one reading
/// a value narrows its input channels; Flatten/2-D Reshape into fc layers narrows the fc weight blocks;</item>
/// <item>anything else refuses with a reason naming the op: a graph input or output, a channel shuffle
/// (Reshape to 5-D), a grouped non-depthwise Conv, Split/Slice, unknown ops.</item>
/// </list>
/// </summary>
internal sealed class ChannelDependencyGraph
{
    internal static readonly HashSet<string> PassThrough = new()
    {
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Identity",
        "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "Dropout", "Clip",
    };

    private readonly GraphIndex _index;
    private readonly long _opset;
    private readonly Dictionary<string, int[]> _owners = new(StringComparer.Ordinal);
    private readonly Queue<string> _pending = new();
    private readonly Dictionary<NodeProto, HashSet<string>> _handled = new(ReferenceEqualityComparer.Instance);
    private readonly List<ChannelEdit> _edits = new();
    private readonly List<NodeProto> _members = new();
    private readonly List<string> _extraTouched = new();

    private readonly HashSet<string> _readInSubgraphs = new(StringComparer.Ordinal);

    private ChannelDependencyGraph(GraphIndex index, long opset)
    {
        _index = index;
        _opset = opset;
        foreach (var sub in GraphIndex.AllGraphs(index.Graph).Skip(1))
        {
            _readInSubgraphs.UnionWith(sub.Node.SelectMany(n => n.Input));
        }
    }

    /// <summary>Number of group indices (the seed conv's output channels).</summary>
    public int Size { get; private init; }

    /// <summary>The seed conv (the decision point the technique was applied to).</summary>
    public ConvLayer Seed { get; private init; } = null!;

    /// <summary>Owner arrays of the values carrying the group's channels, by value name.</summary>
    public IReadOnlyDictionary<string, int[]> Owners => _owners;

    /// <summary>Convs whose output filters are pruned (group-1 producers and depthwise convs), in graph order.</summary>
    public IReadOnlyList<NodeProto> Members => _members;

    /// <summary>The weight and attribute changes, in graph order of the nodes they change.</summary>
    public IReadOnlyList<ChannelEdit> Edits => _edits;

    /// <summary>Values whose shape changes (every value of the group and flattened features).</summary>
    public IEnumerable<string> Touched => _owners.Keys.Concat(_extraTouched);

    /// <summary>The group of <paramref name="node"/>'s output channels, or null with the reason it cannot be pruned.</summary>
    public static ChannelDependencyGraph? Build(GraphIndex index, NodeProto node, long opset, out string reason)
    {
        var conv = ConvLayer.TryDescribe(index, node, out reason, allowGrouped: true);
        if (conv is null)
        {
            return null;
        }

        if (conv.Group != 1 && !IsDepthwise(conv))
        {
            reason = $"Conv '{node.Name}' is a grouped convolution (group = {conv.Group}) that is not depthwise";
            return null;
        }

        if (conv.OutChannels < 2)
        {
            reason = $"Conv '{node.Name}' has a single output channel";
            return null;
        }

        var graph = new ChannelDependencyGraph(index, opset) { Size = conv.OutChannels, Seed = conv };
        var failure = graph.Walk(node.Output[0], Enumerable.Range(0, conv.OutChannels).ToArray());
        if (failure is not null)
        {
            reason = failure;
            return null;
        }

        // Graph order, not discovery order: any member as the decision point gives the same bytes.
        var position = new Dictionary<NodeProto, int>(ReferenceEqualityComparer.Instance);
        foreach (var (n, i) in index.Graph.Node.Select((n, i) => (n, i)))
        {
            position[n] = i;
        }

        var members = graph._members.OrderBy(n => position[n]).ToList();
        var edits = graph._edits.OrderBy(e => position[e.Node]).ToList();
        graph._members.Clear();
        graph._members.AddRange(members);
        graph._edits.Clear();
        graph._edits.AddRange(edits);
        reason = "";
        return graph;
    }

    /// <summary>
    /// The channels of <paramref name="value"/> that stay when the group indices in <paramref name="removed"/> go.
    /// </summary>
    public int[] Keep(string value, ISet<int> removed)
    {
        var owner = _owners[value];
        return Enumerable.Range(0, owner.Length).Where(c => owner[c] < 0 || !removed.Contains(owner[c])).ToArray();
    }

    private static bool IsDepthwise(ConvLayer conv) =>
        conv.Group > 1 && conv.InPerGroup == 1 && conv.OutChannels == conv.Group;

    private string? Walk(string start, int[] owner)
    {
        var failure = Merge(start, owner);
        while (failure is null && _pending.Count > 0)
        {
            failure = Visit(_pending.Dequeue());
        }

        return failure;
    }

    // Unites what is known of a value's owners with a new view; re-visits the value when it learnt something.
    private string? Merge(string value, int[] owner)
    {
        if (!_owners.TryGetValue(value, out var known))
        {
            _owners[value] = (int[])owner.Clone();
            _pending.Enqueue(value);
            return null;
        }

        if (known.Length != owner.Length)
        {
            return $"'{value}' would carry {owner.Length} channels in one place and {known.Length} in another";
        }

        var changed = false;
        for (var c = 0; c < owner.Length; c++)
        {
            if (owner[c] < 0 || known[c] == owner[c])
            {
                continue;
            }

            if (known[c] >= 0)
            {
                return $"channel {c} of '{value}' is tied to two different pruned channels (the same channels are combined twice)";
            }

            known[c] = owner[c];
            changed = true;
        }

        if (changed)
        {
            _pending.Enqueue(value);
        }

        return null;
    }

    private string? Visit(string value)
    {
        if (_index.IsGraphOutput(value))
        {
            return $"the pruned channels reach the graph output '{value}'";
        }

        if (_readInSubgraphs.Contains(value))
        {
            return $"'{value}' is read inside a subgraph (If/Loop/Scan), which P1 does not narrow";
        }

        var producer = _index.Producer(value);
        if (producer is null)
        {
            return _index.IsConstant(value)
                ? $"the constant '{value}' is combined with the pruned channels as a feature map"
                : $"the pruned channels are tied to the graph input '{value}'";
        }

        var failure = Handle(producer, value, produced: true);
        if (failure is not null)
        {
            return failure;
        }

        foreach (var consumer in _index.Consumers(value))
        {
            failure = Handle(consumer, value, produced: false);
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    // Handles one node next to a value of the group: produced = the value is the node's output.
    private string? Handle(NodeProto n, string value, bool produced)
    {
        var label = $"{n.OpType} '{n.Name}'";
        var width = _owners[value].Length;
        if (PassThrough.Contains(n.OpType))
        {
            if (n.Input.Skip(1).Any(i => i.Length > 0 && Constants.TryTensor(_index, i) is null) || !produced && n.Input[0] != value)
            {
                return $"{label} reads the pruned channels in a way P1 cannot follow";
            }

            if (n.OpType == "PRelu" && Constants.TryFloat(_index, n.Input[1]) is { Count: > 1 })
            {
                return $"{label} has per-channel slopes";
            }

            if (n.Output.Skip(1).Any(o => o.Length > 0 && _index.Consumers(o).Count > 0) || produced && n.Output[0] != value)
            {
                return $"{label} has a second output in use";
            }

            return Couple(n.Input[0], n.Output[0]);
        }

        switch (n.OpType)
        {
            case "BatchNormalization":
            {
                if (Enumerable.Range(1, 4).Any(i => Constants.TryFloat(_index, n.Input[i]) is not { } t || t.Count != width) ||
                    !produced && n.Input[0] != value)
                {
                    return $"{label} does not have constant per-channel parameters";
                }

                if (n.Output.Skip(1).Any(o => o.Length > 0 && _index.Consumers(o).Count > 0))
                {
                    return $"{label} is in training mode (running statistics are used)";
                }

                if (Once(n, "bn"))
                {
                    for (var i = 1; i <= 4; i++)
                    {
                        _edits.Add(new ChannelEdit.Slice(n, i, n.Output[0], 0, "p1_bn"));
                    }
                }

                return Couple(n.Input[0], n.Output[0]);
            }

            case "Add" or "Sub" or "Mul" or "Div" when n.Input.Count == 2:
                return HandleElementwise(n, width, label);

            case "Conv":
                return HandleConv(n, value, produced, width, label);

            case "Concat":
                return HandleConcat(n, label);

            case "ReduceMean" or "ReduceMax" or "ReduceMin" or "ReduceSum" or "ReduceL1" or "ReduceL2":
                return HandleReduce(n, value, produced, width, label);

            case "Flatten" or "Reshape" when !produced:
                if (n.OpType == "Reshape" && Constants.TryInt64s(_index, n.Input[1]) is { Length: 5 })
                {
                    return $"{label} reshapes the pruned channels into groups (a channel shuffle); P1 does not prune through it";
                }

                return Once(n, "flatten") ? FollowFlatten(n, value, width) : null;

            default:
                return produced
                    ? $"{label} produces channels tied to the pruned ones and P1 cannot adjust it"
                    : $"{label} consumes the pruned channels and P1 cannot adjust it";
        }
    }

    // A reduction over the spatial axes: keepdims = 1 keeps [N, C, 1, 1] (channels pass through); keepdims = 0 gives
    // the features [N, C] an fc reads (torch's x.mean([2, 3]) before the classifier, as ShuffleNetV2 exports it).
    private string? HandleReduce(NodeProto n, string value, bool produced, int width, string label)
    {
        var axes = n.Input.Count > 1 && n.Input[1].Length > 0 ? Constants.TryInt64s(_index, n.Input[1]) : n.GetInts("axes", Array.Empty<long>());
        if (axes is not { Length: > 0 } || axes.Any(a => a is not (2 or 3 or -1 or -2)) || n.Input[0] != value && !produced)
        {
            return $"{label} does not reduce only the spatial axes of the pruned channels";
        }

        if (n.GetInt("keepdims", 1) != 0)
        {
            return Couple(n.Input[0], n.Output[0]);
        }

        if (produced)
        {
            return $"{label} produces channels tied to the pruned ones and P1 cannot adjust it";
        }

        if (axes.Select(a => a < 0 ? a + 4 : a).Distinct().Count() != 2)
        {
            return $"{label} leaves a spatial axis, so its output is not [N, C] features";
        }

        return Once(n, "reduce") ? FollowFeatures(n, value, width, null, n.Output[0]) : null;
    }

    private string? HandleElementwise(NodeProto n, int width, string label)
    {
        var maps = new List<string>();
        for (var slot = 0; slot < 2; slot++)
        {
            var input = n.Input[slot];
            var constant = Constants.TryFloat(_index, input);
            if (constant is null)
            {
                if (Constants.TryTensor(_index, input) is not null)
                {
                    return $"{label} applies a non-float constant";
                }

                maps.Add(input);
                continue;
            }

            if (constant.Count == 1)
            {
                continue;
            }

            var rank = constant.Dims.Length;
            var channelShaped = rank >= 3 && constant.Dims[rank - 3] == width &&
                                constant.Dims.Skip(rank - 2).All(d => d == 1) && constant.Dims.Take(rank - 3).All(d => d == 1);
            if (!channelShaped)
            {
                return $"{label} applies a constant of shape [{string.Join(",", constant.Dims)}], not one value per channel";
            }

            if (Once(n, $"constant{slot}"))
            {
                _edits.Add(new ChannelEdit.Slice(n, slot, n.Output[0], rank - 3, "p1_constant"));
            }
        }

        // Two feature maps (a residual add, a gate): both operands carry the same channels.
        maps.Add(n.Output[0]);
        return Couple(maps.ToArray());
    }

    private string? HandleConv(NodeProto n, string value, bool produced, int width, string label)
    {
        var conv = ConvLayer.TryDescribe(_index, n, out var why, allowGrouped: true);
        if (conv is null)
        {
            return $"{label} cannot be narrowed: {why}";
        }

        if (!produced && n.Input[0] != value)
        {
            return $"{label} reads the pruned channels as a weight";
        }

        if (IsDepthwise(conv))
        {
            if (conv.OutChannels != width)
            {
                return $"depthwise {label} has {conv.OutChannels} channels, not {width}";
            }

            if (Once(n, "depthwise"))
            {
                _members.Add(n);
                _edits.Add(new ChannelEdit.Slice(n, 1, n.Output[0], 0, "p1_weight"));
                if (conv.Bias is not null)
                {
                    _edits.Add(new ChannelEdit.Slice(n, 2, n.Output[0], 0, "p1_bias"));
                }

                _edits.Add(new ChannelEdit.SetGroup(n, n.Output[0]));
            }

            return Couple(n.Input[0], n.Output[0]);
        }

        if (conv.Group != 1)
        {
            return $"{label} is a grouped convolution (group = {conv.Group}) that is not depthwise; P1 cannot narrow it";
        }

        if (produced)
        {
            if (conv.OutChannels != width)
            {
                return $"{label} has {conv.OutChannels} output channels, not the {width} they are tied to";
            }

            if (Once(n, "out"))
            {
                _members.Add(n);
                _edits.Add(new ChannelEdit.Slice(n, 1, n.Output[0], 0, "p1_weight"));
                if (conv.Bias is not null)
                {
                    _edits.Add(new ChannelEdit.Slice(n, 2, n.Output[0], 0, "p1_bias"));
                }
            }

            return null;
        }

        if (conv.InChannels != width)
        {
            return $"{label} expects {conv.InChannels} input channels, not {width}";
        }

        if (Once(n, "in"))
        {
            _edits.Add(new ChannelEdit.Slice(n, 1, n.Input[0], 1, "p1_weight"));
        }

        return null;
    }

    private string? HandleConcat(NodeProto n, string label)
    {
        if (n.GetInt("axis", 1) != 1)
        {
            return $"{label} concatenates on axis {n.GetInt("axis", 1)}, not on the channels (axis 1)";
        }

        var widths = new int[n.Input.Count];
        for (var i = 0; i < n.Input.Count; i++)
        {
            if (_owners.TryGetValue(n.Input[i], out var known))
            {
                widths[i] = known.Length;
            }
            else if (FeatureMaps.Channels(_index, n.Input[i]) is { } c)
            {
                widths[i] = c;
            }
            else
            {
                return $"{label} joins '{n.Input[i]}', whose channel count P1 cannot tell";
            }
        }

        var output = new int[widths.Sum()];
        Array.Fill(output, -1);
        var offset = 0;
        for (var i = 0; i < n.Input.Count; i++)
        {
            if (_owners.TryGetValue(n.Input[i], out var known))
            {
                foreach (var (o, c) in known.Select((o, c) => (o, c)).Where(p => p.o >= 0))
                {
                    if (output[offset + c] >= 0 && output[offset + c] != o)
                    {
                        return $"{label} mixes two different pruned channels";
                    }

                    output[offset + c] = o;
                }
            }

            offset += widths[i];
        }

        if (_owners.TryGetValue(n.Output[0], out var outKnown))
        {
            if (outKnown.Length != output.Length)
            {
                return $"{label} gives {output.Length} channels, not the {outKnown.Length} they are tied to";
            }

            for (var c = 0; c < output.Length; c++)
            {
                if (outKnown[c] >= 0 && output[c] >= 0 && outKnown[c] != output[c])
                {
                    return $"{label} mixes two different pruned channels";
                }

                output[c] = Math.Max(output[c], outKnown[c]);
            }
        }

        Once(n, "concat");
        var failure = Merge(n.Output[0], output);
        offset = 0;
        for (var i = 0; failure is null && i < n.Input.Count; i++)
        {
            var slice = output.Skip(offset).Take(widths[i]).ToArray();
            if (slice.Any(o => o >= 0))
            {
                failure = Merge(n.Input[i], slice);
            }

            offset += widths[i];
        }

        return failure;
    }

    // Values a node ties channel for channel: all must end up with the same owners.
    private string? Couple(params string[] values)
    {
        int[]? united = null;
        foreach (var v in values)
        {
            if (!_owners.TryGetValue(v, out var known))
            {
                continue;
            }

            if (united is null)
            {
                united = (int[])known.Clone();
                continue;
            }

            if (united.Length != known.Length)
            {
                return $"'{v}' carries {known.Length} channels where {united.Length} are tied to the pruned ones";
            }

            for (var c = 0; c < united.Length; c++)
            {
                if (united[c] >= 0 && known[c] >= 0 && united[c] != known[c])
                {
                    return $"channel {c} of '{v}' is tied to two different pruned channels";
                }

                united[c] = Math.Max(united[c], known[c]);
            }
        }

        if (united is null)
        {
            return null;
        }

        foreach (var v in values)
        {
            var failure = Merge(v, united);
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    // True the first time a node is handled in a role (its edits are recorded once; the walk may pass it again).
    private bool Once(NodeProto n, string role)
    {
        if (!_handled.TryGetValue(n, out var roles))
        {
            _handled[n] = roles = new HashSet<string>(StringComparer.Ordinal);
        }

        return roles.Add(role);
    }

    private string? FollowFlatten(NodeProto n, string value, int channels)
    {
        var label = $"{n.OpType} '{n.Name}'";
        long[]? shape = null;
        if (n.OpType == "Flatten" ? n.GetInt("axis", 1) != 1 : n.Input[0] != value ||
            (shape = Constants.TryInt64s(_index, n.Input[1])) is not { Length: 2 })
        {
            return $"{label} does not flatten [N, C, H, W] to [N, C·H·W]";
        }

        return FollowFeatures(n, value, channels, shape, n.Output[0]);
    }

    // The fc layers reading the features [N, C·spatial] a Flatten, 2-D Reshape (shape given) or reduction made.
    private string? FollowFeatures(NodeProto n, string value, int channels, long[]? shape, string flat)
    {
        var label = $"{n.OpType} '{n.Name}'";
        if (_index.IsGraphOutput(flat))
        {
            return $"the flattened features '{flat}' are a graph output";
        }

        if (_readInSubgraphs.Contains(flat))
        {
            return $"the flattened features '{flat}' are read inside a subgraph";
        }

        var consumers = _index.Consumers(flat);
        if (consumers.Count == 0)
        {
            return $"nothing reads the flattened features of {label}";
        }

        int? features = null;
        foreach (var fcNode in consumers)
        {
            var fc = FcLayer.TryDescribe(_index, fcNode, _opset, out var why);
            if (fc is null || fcNode.Input[0] != flat)
            {
                return $"the flattened channels feed {fcNode.OpType} '{fcNode.Name}', which P1 cannot narrow{(fc is null ? ": " + why : "")}";
            }

            if (fc.In % channels != 0 || features is { } f && f != fc.In || n.OpType.StartsWith("Reduce", StringComparison.Ordinal) && fc.In != channels)
            {
                return $"fc '{fcNode.Name}' has {fc.In} inputs, not a whole block per channel of {channels}";
            }

            features = fc.In;
            var axis = fcNode.OpType == "Gemm" && fcNode.GetInt("transB", 0) != 0 ? 1 : 0;
            _edits.Add(new ChannelEdit.Slice(fcNode, 1, value, axis, "p1_weight", fc.In / channels));
        }

        if (shape is not null)
        {
            if (shape[1] != features && shape[1] != -1)
            {
                return $"{label} reshapes to [{string.Join(",", shape)}], which P1 cannot rescale";
            }

            if (shape[1] == features)
            {
                _edits.Add(new ChannelEdit.FlatShape(n, value, shape[0], features!.Value / channels));
            }
        }

        _extraTouched.Add(flat);
        return null;
    }
}

/// <summary>One change a pruning of a channel group makes; the kept channels come from the owners of <c>Value</c>.</summary>
internal abstract record ChannelEdit(NodeProto Node, string Value)
{
    /// <summary>Slices the constant input <c>Slot</c> along <c>Axis</c>: blocks of <c>Block</c> entries per channel.</summary>
    public sealed record Slice(NodeProto Node, int Slot, string Value, int Axis, string Role, int Block = 1) : ChannelEdit(Node, Value);

    /// <summary>Sets a depthwise conv's group attribute to its kept channels.</summary>
    public sealed record SetGroup(NodeProto Node, string Value) : ChannelEdit(Node, Value);

    /// <summary>Rescales a 2-D Reshape's shape constant to [Batch, kept·Spatial].</summary>
    public sealed record FlatShape(NodeProto Node, string Value, long Batch, int Spatial) : ChannelEdit(Node, Value);
}
