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
/// <item>a channel Slice (constant bounds, or computed from Shape(x)[1] as torch's chunk exports) carries a range of
/// its input's channels; its bounds become constants;</item>
/// <item>a channel shuffle (Reshape to [N, g, C/g, H, W] → Transpose (0, 2, 1, 3, 4) → Reshape) permutes the owners
/// and ties the channels b of every shuffle group into one class (removed together); channels outside the group tied
/// this way join it under new indices;</item>
/// <item>a group-1 Conv producing a value of the group is a member (its output filters are pruned); one reading
/// a value narrows its input channels; Flatten/2-D Reshape into fc layers narrows the fc weight blocks;</item>
/// <item>anything else refuses with a reason naming the op: a graph input or output, a Reshape to 5-D that is not a
/// shuffle, a grouped non-depthwise Conv, Split, unknown ops.</item>
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

    // Union-find over group indices: indices in one class must be removed together (a channel shuffle ties the
    // channel b of every shuffle group). Indices beyond the seed's channels are channels a shuffle pulled in.
    private readonly List<int> _tie = new();

    /// <summary>Number of group indices: the seed conv's output channels, plus channels tied to them by a shuffle.</summary>
    public int Size => _tie.Count;

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

        var graph = new ChannelDependencyGraph(index, opset) { Seed = conv };
        graph._tie.AddRange(Enumerable.Range(0, conv.OutChannels));
        var failure = graph.Walk(node.Output[0], Enumerable.Range(0, conv.OutChannels).ToArray());
        if (failure is not null)
        {
            reason = failure;
            return null;
        }

        // Shuffles chained through channel splits can tie a group into a few large classes, or a class may own every
        // channel of some value: refuse when no class can go at a ratio of one half.
        if (!graph.CanRemoveAClass(graph.Size / 2))
        {
            reason = $"channel shuffles tie the {graph.Size} channels of the group of '{node.Name}' into classes that cannot be " +
                     "removed without emptying a feature map or taking more than half of the group";
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

    /// <summary>Whether some class of at most <paramref name="limit"/> indices leaves every value of the group a channel.</summary>
    public bool CanRemoveAClass(int limit)
    {
        var classOf = Enumerable.Range(0, Size).Select(ClassOf).ToArray();
        var sizes = classOf.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var blocked = new HashSet<int>(sizes.Where(kv => kv.Value > limit).Select(kv => kv.Key));
        foreach (var owner in _owners.Values)
        {
            var classes = owner.Where(o => o >= 0).Select(o => classOf[o]).Distinct().ToList();
            if (classes.Count == 1 && owner.All(o => o >= 0))
            {
                blocked.Add(classes[0]);
            }
        }

        return sizes.Keys.Any(c => !blocked.Contains(c));
    }

    /// <summary>The class of a group index: the indices that are removed together (its smallest member).</summary>
    public int ClassOf(int i)
    {
        while (_tie[i] != i)
        {
            i = _tie[i];
        }

        return i;
    }

    private void Tie(int i, int j)
    {
        var (a, b) = (ClassOf(i), ClassOf(j));
        if (a != b)
        {
            _tie[Math.Max(a, b)] = Math.Min(a, b);
        }
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
                // One channel reached as two group indices: removing either removes it, so they go together.
                Tie(known[c], owner[c]);
                continue;
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

            case "Reshape" when !produced && Constants.TryInt64s(_index, n.Input[1]) is { Length: 5 }:
                return HandleShuffle(n, label);

            case "Reshape" when produced && Constants.TryInt64s(_index, n.Input[1]) is { Length: 4 } &&
                                _index.Producer(n.Input[0]) is { OpType: "Transpose" } t && _index.Producer(t.Input[0]) is { OpType: "Reshape" } first:
                return HandleShuffle(first, $"{first.OpType} '{first.Name}'");

            case "Slice":
                return HandleSlice(n, label);

            case "Shape" when !produced:
                return HandleShape(n, value, label);

            case "Flatten" or "Reshape" when !produced:
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
            else if (Width(n.Input[i]) is { } c)
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
                        Tie(output[offset + c], o);
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
                    Tie(outKnown[c], output[c]);
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

    // Channel shuffle (ShuffleNet): Reshape [N, C, H, W] → [N, g, C/g, H, W], Transpose (0, 2, 1, 3, 4), Reshape back
    // to [N, C, H, W]: output channel b·g + a is input channel a·(C/g) + b. After pruning, every shuffle group must
    // keep the same positions b, so the channels b of all g groups are tied (one class); a channel outside the group
    // tied this way joins it under a new index, and its producers with it.
    private string? HandleShuffle(NodeProto first, string label)
    {
        var refuse = $"{label} starts a channel shuffle P1 cannot follow (it expects Reshape to [N, g, C/g, H, W] → Transpose (0, 2, 1, 3, 4) → Reshape to [N, C, H, W])";
        var s5 = Constants.TryInt64s(_index, first.Input[1]);
        var transposes = _index.Consumers(first.Output[0]);
        if (s5 is not { Length: 5 } || transposes.Count != 1 || transposes[0] is not { OpType: "Transpose" } transpose ||
            !transpose.GetInts("perm", Array.Empty<long>()).SequenceEqual(new long[] { 0, 2, 1, 3, 4 }) ||
            _index.Consumers(transpose.Output[0]) is not { Count: 1 } lasts || lasts[0] is not { OpType: "Reshape" } last ||
            Constants.TryInt64s(_index, last.Input[1]) is not { Length: 4 } s4 ||
            new[] { first.Output[0], transpose.Output[0] }.Any(v => _index.IsGraphOutput(v) || _readInSubgraphs.Contains(v)))
        {
            return refuse;
        }

        var input = first.Input[0];
        var output = last.Output[0];
        var width = _owners.TryGetValue(input, out var inKnown) ? inKnown.Length : _owners.TryGetValue(output, out var outKnown0) ? outKnown0.Length : -1;
        var groups = (int)s5[1];
        if (width < 1 || groups < 1 || width % groups != 0 || s5[2] != width / groups && s5[2] != -1 || s4[1] != width && s4[1] != -1)
        {
            return refuse;
        }

        var k = width / groups;
        var merged = new int[width];
        Array.Fill(merged, -1);
        var outKnown = _owners.GetValueOrDefault(output);
        for (var a = 0; a < groups; a++)
        {
            for (var b = 0; b < k; b++)
            {
                var i = inKnown?[a * k + b] ?? -1;
                var o = outKnown?[b * groups + a] ?? -1;
                if (i >= 0 && o >= 0 && i != o)
                {
                    Tie(i, o);
                }

                merged[a * k + b] = Math.Max(i, o);
            }
        }

        for (var b = 0; b < k; b++)
        {
            var owned = Enumerable.Range(0, groups).Select(a => merged[a * k + b]).FirstOrDefault(o => o >= 0, -1);
            if (owned < 0)
            {
                continue;
            }

            for (var a = 0; a < groups; a++)
            {
                if (merged[a * k + b] < 0)
                {
                    merged[a * k + b] = _tie.Count;
                    _tie.Add(_tie.Count);
                }

                Tie(owned, merged[a * k + b]);
            }
        }

        if (Once(first, "shuffle"))
        {
            _edits.Add(new ChannelEdit.ReshapeDim(first, input, 2, groups));
            if (s4[1] != -1)
            {
                _edits.Add(new ChannelEdit.ReshapeDim(last, output, 1, 1));
            }

            _extraTouched.Add(first.Output[0]);
            _extraTouched.Add(transpose.Output[0]);
        }

        var shuffled = new int[width];
        for (var a = 0; a < groups; a++)
        {
            for (var b = 0; b < k; b++)
            {
                shuffled[b * groups + a] = merged[a * k + b];
            }
        }

        return Merge(input, merged) ?? Merge(output, shuffled);
    }

    // Slice of a range of channels (torch's chunk/split on dim 1): the output carries the input's channels start..end.
    private string? HandleSlice(NodeProto n, string label)
    {
        var bounds = SliceBounds(n);
        if (bounds is not var (input, start, end))
        {
            return $"{label} does not take a constant range of the channels (axis 1, step 1)";
        }

        var inOwner = _owners.TryGetValue(input, out var known) ? (int[])known.Clone() : Enumerable.Repeat(-1, Width(input) ?? 0).ToArray();
        if (inOwner.Length == 0)
        {
            return $"{label} slices '{input}', whose channel count P1 cannot tell";
        }

        var (s, e) = (Math.Clamp(start < 0 ? start + inOwner.Length : start, 0, inOwner.Length), Math.Clamp(end < 0 ? end + inOwner.Length : end, 0, inOwner.Length));
        e = Math.Max(s, e);
        var outOwner = inOwner.Skip((int)s).Take((int)(e - s)).ToArray();
        if (_owners.TryGetValue(n.Output[0], out var outKnown))
        {
            if (outKnown.Length != outOwner.Length)
            {
                return $"{label} gives {outOwner.Length} channels, not the {outKnown.Length} they are tied to";
            }

            for (var c = 0; c < outOwner.Length; c++)
            {
                if (outOwner[c] >= 0 && outKnown[c] >= 0 && outOwner[c] != outKnown[c])
                {
                    Tie(outOwner[c], outKnown[c]);
                }

                outOwner[c] = Math.Max(outOwner[c], outKnown[c]);
                inOwner[s + c] = outOwner[c];
            }
        }

        if (Once(n, "slice"))
        {
            _edits.Add(new ChannelEdit.SliceRange(n, input, s, e));
        }

        var failure = inOwner.Any(o => o >= 0) ? Merge(input, inOwner) : null;
        return failure ?? (outOwner.Any(o => o >= 0) ? Merge(n.Output[0], outOwner) : null);
    }

    private (string Input, long Start, long End)? SliceBounds(NodeProto n)
    {
        if (n.Input.Count < 3)
        {
            return null;
        }

        var starts = Ints(n.Input[1]);
        var ends = Ints(n.Input[2]);
        var axes = n.Input.Count > 3 && n.Input[3].Length > 0 ? Constants.TryInt64s(_index, n.Input[3]) : null;
        var steps = n.Input.Count > 4 && n.Input[4].Length > 0 ? Constants.TryInt64s(_index, n.Input[4]) : new long[] { 1 };
        if (starts is not { Length: 1 } || ends is not { Length: 1 } || axes is not ([1] or [-3]) || steps is not [1])
        {
            return null;
        }

        return (n.Input[0], starts[0], ends[0]);
    }

    // A small integer value: a constant, or arithmetic on the channel count of a feature map (torch's chunk exports
    // its Slice bounds as Shape → Gather(1) → Add/Div/Mul). Null when it depends on anything else.
    private long[]? Ints(string value, int depth = 0)
    {
        if (Constants.TryInt64s(_index, value) is { } constant)
        {
            return constant;
        }

        var p = _index.Producer(value);
        if (p is null || depth > 16)
        {
            return null;
        }

        switch (p.OpType)
        {
            case "Gather" when p.GetInt("axis", 0) == 0 && _index.Producer(p.Input[0]) is { OpType: "Shape" } shape &&
                               shape.GetInt("start", 0) == 0 && Constants.TryInt64s(_index, p.Input[1]) is [1]:
                return Width(shape.Input[0]) is { } w ? new long[] { w } : null;
            case "Unsqueeze" or "Squeeze" or "Identity" or "Cast":
                return Ints(p.Input[0], depth + 1);
            case "Add" or "Sub" or "Mul" or "Div" when Ints(p.Input[0], depth + 1) is { } x && Ints(p.Input[1], depth + 1) is { } y &&
                                                       (x.Length == 1 || y.Length == 1 || x.Length == y.Length):
                return Enumerable.Range(0, Math.Max(x.Length, y.Length)).Select(i =>
                {
                    var (l, r) = (x[x.Length == 1 ? 0 : i], y[y.Length == 1 ? 0 : i]);
                    return p.OpType switch
                    {
                        "Add" => l + r,
                        "Sub" => l - r,
                        "Mul" => l * r,
                        _ => r == 0 ? long.MinValue : (long)Math.Floor((double)l / r),
                    };
                }).ToArray() is var v && !v.Contains(long.MinValue) ? v : null;
            default:
                return null;
        }
    }

    // A Shape of a value of the group: allowed when all it feeds is the bounds of Slices of that same value, which
    // P1 replaces by constants (the Shape chain is then dropped).
    private string? HandleShape(NodeProto n, string value, string label)
    {
        var pending = new Stack<string>();
        pending.Push(n.Output[0]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var v = pending.Pop();
            if (!seen.Add(v))
            {
                continue;
            }

            if (_index.IsGraphOutput(v) || _readInSubgraphs.Contains(v))
            {
                return $"{label} reads the channel count of the pruned channels for the graph output or a subgraph";
            }

            foreach (var c in _index.Consumers(v))
            {
                if (c.OpType == "Slice" && c.Input[0] == value && c.Input.Skip(3).All(i => i != v))
                {
                    continue;
                }

                if (c.OpType is not ("Gather" or "Unsqueeze" or "Squeeze" or "Identity" or "Cast" or "Add" or "Sub" or "Mul" or "Div"))
                {
                    return $"{label} reads the channel count of the pruned channels for {c.OpType} '{c.Name}', which P1 cannot adjust";
                }

                pending.Push(c.Output[0]);
            }
        }

        return null;
    }

    // Channel count of a feature map: known in the group, from the producing convs, or through a shuffle's Reshape
    // or a channel Slice.
    private int? Width(string value, int depth = 0)
    {
        if (_owners.TryGetValue(value, out var known))
        {
            return known.Length;
        }

        if (FeatureMaps.Channels(_index, value) is { } c)
        {
            return c;
        }

        var p = _index.Producer(value);
        if (p is null || depth > 256)
        {
            return null;
        }

        if (p.OpType == "Concat" && p.GetInt("axis", 1) == 1)
        {
            var widths = p.Input.Select(i => Width(i, depth + 1)).ToList();
            return widths.All(w => w is not null) ? widths.Sum() : null;
        }

        if (p.OpType == "Reshape" && Constants.TryInt64s(_index, p.Input[1]) is { Length: 4 } shape)
        {
            if (shape[1] > 0)
            {
                return (int)shape[1];
            }

            // The end of a shuffle, [N, -1, H, W]: as many channels as went in.
            if (_index.Producer(p.Input[0]) is { OpType: "Transpose" } t && _index.Producer(t.Input[0]) is { OpType: "Reshape" } first)
            {
                return Width(first.Input[0], depth + 1);
            }
        }

        if (p.OpType == "Slice" && SliceBounds(p) is var (input, start, end) && Width(input, depth + 1) is { } w)
        {
            var (s, e) = (Math.Clamp(start < 0 ? start + w : start, 0, w), Math.Clamp(end < 0 ? end + w : end, 0, w));
            return (int)Math.Max(0, e - s);
        }

        return ChannelDependencyGraph.PassThrough.Contains(p.OpType) || p.OpType == "BatchNormalization" ? Width(p.Input[0], depth + 1) : null;
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
                    Tie(united[c], known[c]);
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

    /// <summary>Sets dim <c>Dim</c> of a Reshape's shape constant to the kept channels of <c>Value</c> / <c>Divisor</c> (a shuffle).</summary>
    public sealed record ReshapeDim(NodeProto Node, string Value, int Dim, int Divisor) : ChannelEdit(Node, Value);

    /// <summary>Moves a channel Slice's bounds [Start, End) of <c>Value</c> to where its kept channels now sit.</summary>
    public sealed record SliceRange(NodeProto Node, string Value, long Start, long End) : ChannelEdit(Node, Value);

    /// <summary>Rescales a 2-D Reshape's shape constant to [Batch, kept·Spatial].</summary>
    public sealed record FlatShape(NodeProto Node, string Value, long Batch, int Spatial) : ChannelEdit(Node, Value);
}
