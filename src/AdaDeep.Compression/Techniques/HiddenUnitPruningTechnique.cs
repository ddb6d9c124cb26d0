using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// P2 (beyond the paper; DeepIoT, Yao et al. 2017, prunes recurrent hidden units): removes the ⌊ChannelPruneRatio·H⌋
/// hidden units of a forward GRU, LSTM or RNN with the smallest L1 norm (their rows of W, R and B in every gate and
/// their columns of R), sets hidden_size, and narrows what reads the hidden state: a following fc (Gemm or MatMul
/// with a constant weight: the rows or columns of the removed units), the input weights of a stacked recurrent layer,
/// and a constant initial state. The walk from the layer's outputs to those readers follows operators that keep the
/// hidden units on the last axis (Squeeze, Unsqueeze, Transpose, Gather and Slice on other axes, activations).
/// Anything else (a graph output — e.g. a streaming model's state —, a Reshape or Concat over the hidden axis, a
/// bidirectional layer, peepholes) makes it refuse with the reason. Parameters of the layer fall by about
/// 1 − (1 − ratio)²: a GRU(28, 128) at 0.5 keeps 17,856 of 61,440 weights.
/// </summary>
public sealed class HiddenUnitPruningTechnique : TechniqueBase
{
    private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
    {
        "Relu", "Tanh", "Sigmoid", "Identity", "Dropout", "LeakyRelu", "Elu", "Selu", "HardSigmoid", "Softplus",
    };

    private readonly float? _ratio;

    /// <summary>P2: removes <see cref="TechniqueOptions.ChannelPruneRatio"/> of the hidden units.</summary>
    public HiddenUnitPruningTechnique()
    {
    }

    /// <summary>"P2@25": removes a fixed share of the hidden units, so the search can pick a gentler level per layer.</summary>
    public HiddenUnitPruningTechnique(int percent)
    {
        Id = LevelId("P2", percent, nameof(percent));
        _ratio = percent / 100f;
    }

    public override string Id { get; } = "P2";

    public override string Description => _ratio is { } r
        ? $"structured pruning of {r:P0} of a recurrent layer's hidden units (smallest L1 norm)"
        : "structured pruning of a recurrent layer's hidden units (smallest L1 norm)";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        Plan(index, node, model.OpsetVersion, out var reason) is null ? Applicability.No(reason) : Applicability.Yes;

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        var ratio = _ratio ?? options.ChannelPruneRatio;
        RequireFraction(ratio, nameof(options.ChannelPruneRatio));
        var plan = Plan(s.Index, node, s.Opset, out _)!;
        var hidden = plan.Hidden;
        var remove = Math.Min((int)Math.Floor(ratio * hidden + 1e-9), hidden - 1);
        if (remove < 1)
        {
            throw NotApplicable(s.Model, node.Name, $"a ratio of {ratio} removes no hidden unit of the {hidden} of '{node.Name}'");
        }

        var keep = Enumerable.Range(0, hidden)
            .OrderByDescending(j => plan.Importance[j])
            .ThenBy(j => j)
            .Take(hidden - remove)
            .Order()
            .ToArray();

        node.SetInt("hidden_size", keep.Length);
        foreach (var edit in plan.Edits)
        {
            edit(s, keep);
        }

        foreach (var value in plan.Touched)
        {
            s.ForgetShape(value);
        }
    }

    private sealed record PrunePlan(int Hidden, double[] Importance, List<Action<RewriteSession, int[]>> Edits, List<string> Touched);

    private static int Gates(string op) => op switch { "GRU" => 3, "LSTM" => 4, _ => 1 };

    private static PrunePlan? Plan(GraphIndex index, NodeProto node, long opset, out string reason)
    {
        reason = "";
        var label = $"{node.OpType} '{node.Name}'";
        if (node.OpType is not ("GRU" or "LSTM" or "RNN"))
        {
            reason = $"{label} is not a recurrent layer";
            return null;
        }

        var gates = Gates(node.OpType);
        var w = node.Input.Count > 1 ? Constants.TryFloat(index, node.Input[1]) : null;
        var r = node.Input.Count > 2 ? Constants.TryFloat(index, node.Input[2]) : null;
        if (w is not { Dims.Length: 3 } || r is not { Dims.Length: 3 })
        {
            reason = $"{label} has no constant W and R";
            return null;
        }

        if (w.Dims[0] != 1 || node.GetString("direction", "forward") != "forward")
        {
            reason = $"{label} is not a single forward layer (direction '{node.GetString("direction", "forward")}')";
            return null;
        }

        var hidden = (int)r.Dims[2];
        if (hidden < 2 || r.Dims[1] != gates * hidden || w.Dims[1] != gates * hidden)
        {
            reason = $"{label} has {hidden} hidden unit(s) or weights of an unexpected shape";
            return null;
        }

        if (node.Input.Count > 7 && node.Input[7].Length > 0)
        {
            reason = $"{label} has peephole weights";
            return null;
        }

        var edits = new List<Action<RewriteSession, int[]>>
        {
            (s, keep) => ReplaceConstant(s, node, 1, GateRows(keep, hidden, gates), 1, Stem(node, "p2_w")),
            (s, keep) => ReplaceConstant(s, node, 2, GateRows(keep, hidden, gates), 1, Stem(node, "p2_r"), (keep, 2)),
        };
        if (node.Input.Count > 3 && node.Input[3].Length > 0)
        {
            if (Constants.TryFloat(index, node.Input[3]) is not { Dims.Length: 2 })
            {
                reason = $"{label} has a bias that is not a constant";
                return null;
            }

            edits.Add((s, keep) => ReplaceConstant(s, node, 3, GateRows(keep, hidden, 2 * gates), 1, Stem(node, "p2_b")));
        }

        // Initial states (input 5, and LSTM's initial cell 6): constants are narrowed; zeros made at run time (PyTorch
        // exports ConstantOfShape([1, batch, H])) are dropped, as zeros are the operator's default; others cannot be.
        foreach (var slot in new[] { 5, 6 }.Where(i => node.Input.Count > i && node.Input[i].Length > 0))
        {
            if (IsRuntimeZeros(index, node.Input[slot]))
            {
                var zeros = slot;
                edits.Add((s, _) => RewriteSession.SetInput(node, zeros, ""));
                continue;
            }

            if (Constants.TryFloat(index, node.Input[slot]) is not { Dims.Length: 3 })
            {
                reason = $"{label} reads its initial state '{node.Input[slot]}' from outside the model, which would have to shrink too";
                return null;
            }

            var at = slot;
            edits.Add((s, keep) => ReplaceConstant(s, node, at, keep, 2, Stem(node, "p2_state")));
        }

        var touched = new List<string>();
        var pending = new Stack<(string Value, int Rank)>();
        // Y [seq, 1, batch, H] (layout 0) or [batch, seq, 1, H]; Y_h and Y_c [1, batch, H] or [batch, 1, H]: H is last.
        for (var o = 0; o < node.Output.Count; o++)
        {
            if (node.Output[o].Length > 0)
            {
                pending.Push((node.Output[o], o == 0 ? 4 : 3));
            }
        }

        while (pending.Count > 0)
        {
            var (value, rank) = pending.Pop();
            if (index.IsGraphOutput(value))
            {
                reason = $"the hidden state reaches the graph output '{value}'";
                return null;
            }

            touched.Add(value);
            foreach (var consumer in index.Consumers(value))
            {
                var failure = Follow(index, opset, consumer, value, rank, hidden, edits, pending);
                if (failure is not null)
                {
                    reason = failure;
                    return null;
                }
            }
        }

        return new PrunePlan(hidden, Importance(w, r, hidden, gates), edits, touched);
    }

    /// <summary>One consumer of a value whose last axis holds the hidden units; a reason when it cannot be adjusted.</summary>
    private static string? Follow(GraphIndex index, long opset, NodeProto n, string value, int rank, int hidden,
        List<Action<RewriteSession, int[]>> edits, Stack<(string Value, int Rank)> pending)
    {
        var label = $"{n.OpType} '{n.Name}'";
        if (n.Input.Skip(1).Contains(value))
        {
            return $"{label} reads the hidden state as a parameter";
        }

        var last = rank - 1;
        int Normal(long axis, int r) => (int)(axis < 0 ? axis + r : axis);
        long[]? Axes(int slot) => n.HasAttribute("axes") ? n.GetInts("axes", Array.Empty<long>())
            : n.Input.Count > slot && n.Input[slot].Length > 0 ? Constants.TryInt64s(index, n.Input[slot]) : null;
        switch (n.OpType)
        {
            case var op when Elementwise.Contains(op):
                pending.Push((n.Output[0], rank));
                return null;
            case "Squeeze":
            {
                var axes = Axes(1);
                if (axes is null || axes.Any(a => Normal(a, rank) == last))
                {
                    return $"{label} may squeeze the hidden axis";
                }

                pending.Push((n.Output[0], rank - axes.Length));
                return null;
            }

            case "Unsqueeze":
            {
                var axes = Axes(1);
                var outRank = rank + (axes?.Length ?? 0);
                if (axes is null || axes.Any(a => Normal(a, outRank) == outRank - 1))
                {
                    return $"{label} may move the hidden axis";
                }

                pending.Push((n.Output[0], outRank));
                return null;
            }

            case "Transpose":
            {
                var perm = n.GetInts("perm", Array.Empty<long>());
                if (perm.Length != rank || perm[^1] != last)
                {
                    return $"{label} moves the hidden axis";
                }

                pending.Push((n.Output[0], rank));
                return null;
            }

            case "Gather":
            {
                var indices = Constants.TryInt64s(index, n.Input[1]);
                var indicesRank = index.Constant(n.Input[1])?.Dims.Count;
                if (Normal(n.GetInt("axis", 0), rank) == last || indices is null || indicesRank is null)
                {
                    return $"{label} gathers along the hidden axis or with computed indices";
                }

                pending.Push((n.Output[0], rank - 1 + indicesRank.Value));
                return null;
            }

            case "Slice":
            {
                var axes = n.Input.Count > 3 && n.Input[3].Length > 0 ? Constants.TryInt64s(index, n.Input[3]) : null;
                var starts = n.Input.Count > 1 ? Constants.TryInt64s(index, n.Input[1]) : null;
                var sliced = axes ?? (starts is null ? null : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray());
                if (sliced is null || sliced.Any(a => Normal(a, rank) == last))
                {
                    return $"{label} may slice the hidden axis";
                }

                pending.Push((n.Output[0], rank));
                return null;
            }

            case "Gemm" or "MatMul":
            {
                var fc = FcLayer.TryDescribe(index, n, opset, out var why);
                if (fc is null || fc.In != hidden || n.GetInt("transA", 0) != 0)
                {
                    return $"the hidden state feeds {label}, which P2 cannot narrow{(fc is null ? ": " + why : "")}";
                }

                var axis = n.OpType == "Gemm" && n.GetInt("transB", 0) != 0 ? 1 : 0;
                edits.Add((s, keep) => ReplaceConstant(s, n, 1, keep, axis, Stem(n, "p2_weight")));
                return null;
            }

            case "GRU" or "LSTM" or "RNN" when rank == 3 && n.Input[0] == value:
            {
                if (Constants.TryFloat(index, n.Input[1]) is not { Dims.Length: 3 } next || next.Dims[2] != hidden)
                {
                    return $"the stacked {label} has no constant input weights of {hidden} columns";
                }

                edits.Add((s, keep) => ReplaceConstant(s, n, 1, keep, 2, Stem(n, "p2_next_w")));
                return null;
            }

            default:
                return $"{label} reads the hidden state and P2 cannot adjust it";
        }
    }

    /// <summary>A ConstantOfShape whose fill value is 0 (its default).</summary>
    private static bool IsRuntimeZeros(GraphIndex index, string value) =>
        index.Producer(value) is { OpType: "ConstantOfShape" } producer &&
        (producer.Attribute.FirstOrDefault(a => a.Name == "value") is not { } fill || TensorData.ToFloats(fill.T).All(v => v == 0));

    /// <summary>Per hidden unit: the L1 norm of its rows of W and R in every gate and of its column of R.</summary>
    private static double[] Importance(ConstantTensor w, ConstantTensor r, int hidden, int gates)
    {
        var inputs = (int)w.Dims[2];
        var score = new double[hidden];
        for (var g = 0; g < gates; g++)
        {
            for (var j = 0; j < hidden; j++)
            {
                var row = g * hidden + j;
                for (var i = 0; i < inputs; i++)
                {
                    score[j] += Math.Abs(w.Values[row * inputs + i]);
                }

                for (var k = 0; k < hidden; k++)
                {
                    score[j] += Math.Abs(r.Values[row * hidden + k]);
                    score[k] += Math.Abs(r.Values[row * hidden + k]);
                }
            }
        }

        return score;
    }

    /// <summary>The kept units' rows in each of <paramref name="blocks"/> stacked blocks of <paramref name="hidden"/> rows.</summary>
    private static int[] GateRows(int[] keep, int hidden, int blocks) =>
        Enumerable.Range(0, blocks).SelectMany(b => keep.Select(j => b * hidden + j)).ToArray();

    /// <summary>Replaces a constant input by its slice along one axis, and optionally a second (R: rows and columns).</summary>
    private static void ReplaceConstant(RewriteSession s, NodeProto node, int inputIndex, int[] keep, int axis, string stem,
        (int[] Keep, int Axis)? also = null)
    {
        var t = Constants.TryFloat(s.Index, node.Input[inputIndex])!;
        var (values, dims) = ChannelPruningTechnique.SliceAxis(t.Values, t.Dims, axis, keep);
        if (also is { } second)
        {
            (values, dims) = ChannelPruningTechnique.SliceAxis(values, dims, second.Axis, second.Keep);
        }

        RewriteSession.SetInput(node, inputIndex, s.AddFloats(stem, dims, values));
    }
}
