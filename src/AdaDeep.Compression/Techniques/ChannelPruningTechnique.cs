using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// P1 (beyond the paper): structured channel pruning (Li et al., "Pruning Filters for Efficient ConvNets"), by
/// dependency groups (the approach of torch-pruning / NNI ModelSpeedup). The conv's output channels and everything
/// tied to them form one <see cref="ChannelDependencyGraph"/>: convs writing into the same residual stream, depthwise
/// convs on the way, concatenated branches at their offsets, channels a channel shuffle interleaves with them.
/// ⌊ChannelPruneRatio·n⌋ of the group's n channels with the smallest L1 norm — summed over the output filters of
/// every member, whole shuffle classes at a time — are removed from every member, and every
/// consumer is narrowed to match: per-channel constants of Add/Mul/Sub/Div, BatchNormalization parameters, the
/// input channels of the next Conv, or — after a Flatten or a 2-D Reshape — the fc weight entries of each removed
/// channel's spatial block; channel Slices and shuffle Reshapes get new constants. Applying P1 to any member of a
/// group prunes the whole group. It refuses, naming the op, when the channels reach a graph output or input, a
/// grouped (non-depthwise) conv, or an op it does not know.
/// </summary>
public sealed class ChannelPruningTechnique : TechniqueBase, ICompressionTechnique
{
    private readonly float? _ratio;

    /// <summary>P1: removes <see cref="TechniqueOptions.ChannelPruneRatio"/> of the group's channels.</summary>
    public ChannelPruningTechnique()
    {
    }

    /// <summary>"P1@25": removes a fixed share of the channels, so the search can pick a gentler level per layer group
    /// (pruning both a conv's inputs and outputs by half leaves a quarter of its MACs; by a quarter, about 56 %).</summary>
    public ChannelPruningTechnique(int percent)
    {
        Id = LevelId("P1", percent, nameof(percent));
        _ratio = percent / 100f;
    }

    public override string Id { get; } = "P1";

    public override string Description => _ratio is { } r
        ? $"structured pruning of {r:P0} of a conv's output channels and of the channels tied to them (smallest L1 norm)"
        : "structured pruning of a conv's output channels and of the channels tied to them (smallest L1 norm)";

    /// <summary>Every conv of the node's dependency group: one application prunes them all.</summary>
    IReadOnlyList<string> ICompressionTechnique.LayersCovered(OnnxModel model, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var index = new GraphIndex(model.Graph);
        var node = model.Graph.Node.FirstOrDefault(n => n.Name == nodeName);
        var group = node is null ? null : ChannelDependencyGraph.Build(index, node, model.OpsetVersion, out _);
        return group is null ? new[] { nodeName } : group.Members.Select(m => m.Name).Append(nodeName).Distinct(StringComparer.Ordinal).ToArray();
    }

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        ChannelDependencyGraph.Build(index, node, model.OpsetVersion, out var reason) is null ? Applicability.No(reason) : Applicability.Yes;

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        var ratio = _ratio ?? options.ChannelPruneRatio;
        RequireFraction(ratio, nameof(options.ChannelPruneRatio));

        var group = ChannelDependencyGraph.Build(s.Index, node, s.Opset, out _)!;
        var size = group.Size;
        var remove = Math.Min((int)Math.Floor(ratio * size + 1e-9), size - 1);
        var removed = remove < 1 ? new HashSet<int>() : ChooseRemoved(s, group, remove);
        if (removed.Count < 1)
        {
            throw NotApplicable(s.Model, node.Name,
                $"a ratio of {ratio} removes no channel of the {size} of '{node.Name}'");
        }

        Apply(s, group, removed);
        foreach (var value in group.Touched)
        {
            s.ForgetShape(value);
        }
    }

    /// <summary>
    /// The group channels to remove: the smallest L1 norms summed over the members' output filters (ties: the
    /// higher index goes first), skipping any whose removal would leave a value of the group without channels.
    /// </summary>
    private static HashSet<int> ChooseRemoved(RewriteSession s, ChannelDependencyGraph group, int remove)
    {
        var importance = new double[group.Size];
        foreach (var member in group.Members)
        {
            var weight = Constants.TryFloat(s.Index, member.Input[1])!;
            var owner = group.Owners[member.Output[0]];
            var perChannel = weight.Values.Length / owner.Length;
            for (var c = 0; c < owner.Length; c++)
            {
                if (owner[c] >= 0)
                {
                    importance[owner[c]] += weight.Values.Skip(c * perChannel).Take(perChannel).Sum(Math.Abs);
                }
            }
        }

        // Classes of indices a channel shuffle ties are removed together; a class counts its summed importance.
        var classes = Enumerable.Range(0, group.Size).GroupBy(group.ClassOf)
            .Select(c => (Indices: c.ToArray(), Importance: c.Sum(i => importance[i])))
            .OrderBy(c => c.Importance).ThenByDescending(c => c.Indices[0]);
        var left = group.Owners.ToDictionary(kv => kv.Key, kv => kv.Value.Length);
        var removed = new HashSet<int>();
        foreach (var cls in classes)
        {
            if (removed.Count == remove)
            {
                break;
            }

            var members = cls.Indices.ToHashSet();
            var loses = group.Owners.Select(kv => (kv.Key, Count: kv.Value.Count(members.Contains))).Where(p => p.Count > 0).ToList();
            if (removed.Count + members.Count > remove || loses.Any(p => left[p.Key] - p.Count < 1))
            {
                continue;
            }

            foreach (var (value, count) in loses)
            {
                left[value] -= count;
            }

            removed.UnionWith(members);
        }

        return removed;
    }

    private static void Apply(RewriteSession s, ChannelDependencyGraph group, HashSet<int> removed)
    {
        // Several edits may slice the same weight (a conv reading and writing the group): compose them first.
        var sliced = new Dictionary<NodeProto, SortedDictionary<int, (float[] Values, long[] Dims, string Role)>>(ReferenceEqualityComparer.Instance);
        var order = new List<(NodeProto Node, int Slot)>();
        foreach (var edit in group.Edits)
        {
            var keep = group.Keep(edit.Value, removed);
            switch (edit)
            {
                case ChannelEdit.Slice slice:
                {
                    if (!sliced.TryGetValue(slice.Node, out var slots))
                    {
                        sliced[slice.Node] = slots = new SortedDictionary<int, (float[], long[], string)>();
                    }

                    if (!slots.TryGetValue(slice.Slot, out var current))
                    {
                        var t = Constants.TryFloat(s.Index, slice.Node.Input[slice.Slot])!;
                        current = (t.Values, t.Dims, slice.Role);
                        order.Add((slice.Node, slice.Slot));
                    }

                    var indices = slice.Block == 1 ? keep : FeatureIndices(keep, slice.Block);
                    var (values, dims) = SliceAxis(current.Values, current.Dims, slice.Axis, indices);
                    slots[slice.Slot] = (values, dims, current.Role);
                    break;
                }

                case ChannelEdit.SetGroup:
                    edit.Node.SetInt("group", keep.Length);
                    break;

                case ChannelEdit.ReshapeDim reshape:
                {
                    var shape = Constants.TryInt64s(s.Index, reshape.Node.Input[1])!;
                    shape[reshape.Dim] = keep.Length / reshape.Divisor;
                    RewriteSession.SetInput(reshape.Node, 1, s.AddInt64s(Stem(reshape.Node, "p1_shape"), shape));
                    break;
                }

                case ChannelEdit.SliceRange range:
                {
                    var start = keep.Count(c => c < range.Start);
                    var end = start + keep.Count(c => c >= range.Start && c < range.End);
                    RewriteSession.SetInput(range.Node, 1, s.AddInt64s(Stem(range.Node, "p1_starts"), new long[] { start }));
                    RewriteSession.SetInput(range.Node, 2, s.AddInt64s(Stem(range.Node, "p1_ends"), new long[] { end }));
                    break;
                }

                case ChannelEdit.FlatShape flat:
                {
                    var name = s.AddInt64s(Stem(flat.Node, "p1_shape"), new[] { flat.Batch, (long)keep.Length * flat.Spatial });
                    RewriteSession.SetInput(flat.Node, 1, name);
                    break;
                }
            }
        }

        foreach (var (n, slot) in order)
        {
            var (values, dims, role) = sliced[n][slot];
            RewriteSession.SetInput(n, slot, s.AddFloats(Stem(n, role), dims, values));
        }
    }

    private static int[] FeatureIndices(int[] keptChannels, int spatial) =>
        keptChannels.SelectMany(c => Enumerable.Range(c * spatial, spatial)).ToArray();

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
