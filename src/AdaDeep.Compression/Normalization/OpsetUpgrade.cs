using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Normalization;

/// <summary>
/// Raises an old export's ai.onnx opset by rewriting each operator whose meaning changed into its new form, the way
/// ONNX's version converter does: attributes that became inputs (Reshape's shape, Squeeze/Unsqueeze axes, Slice,
/// Pad, Clip, Split, TopK, ReduceSum), legacy attributes dropped where their only allowed value is the new behaviour
/// (consumed_inputs, is_test, spatial = 1, Gemm's broadcast), the legacy broadcast of binary operators turned into
/// numpy broadcasting (a constant operand reshaped), and Softmax's coercion to 2-D made explicit. An operator it
/// cannot convert (or one outside OpsetCompatibility's list) leaves the model at its opset, with the reason.
/// </summary>
internal static class OpsetUpgrade
{
    private static readonly HashSet<string> BinaryOps = new(StringComparer.Ordinal)
    {
        "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Greater", "Less", "And", "Or",
    };

    private static readonly HashSet<string> SoftmaxOps = new(StringComparer.Ordinal) { "Softmax", "LogSoftmax", "Hardmax" };

    /// <summary>
    /// Rewrites <paramref name="s"/>'s model to <paramref name="target"/>; null on success, else why not (the session
    /// is then half-rewritten and must be dropped). <paramref name="shapes"/>: inferred shapes (ranks for Softmax and
    /// legacy broadcasting).
    /// </summary>
    public static string? Apply(RewriteSession s, long target, IReadOnlyDictionary<string, long[]> shapes)
    {
        var from = s.Opset;
        foreach (var g in GraphIndex.AllGraphs(s.Graph))
        {
            var inSubgraph = !ReferenceEquals(g, s.Graph);
            foreach (var node in g.Node.ToList())
            {
                if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                {
                    continue;
                }

                if (OpsetCompatibility.BreakingVersionsOf(node.OpType) is not { } breaking)
                {
                    return $"raising opset {from} to {target} is not known to be safe for {node.OpType} ('{node.Name}')";
                }

                var broken = breaking.Where(v => v > from && v <= target).ToArray();
                if (broken.Length == 0)
                {
                    continue;
                }

                var why = inSubgraph
                    ? $"{node.OpType} ('{node.Name}') inside a control-flow subgraph changed meaning in opset {broken[0]}"
                    : Convert(s, node, from, shapes);
                if (why is not null)
                {
                    return why;
                }
            }
        }

        OpsetCompatibility.Raise(s.Model, target);
        return null;
    }

    private static string? Convert(RewriteSession s, NodeProto node, long from, IReadOnlyDictionary<string, long[]> shapes)
    {
        RemoveAttribute(node, "consumed_inputs");
        var op = node.OpType;
        string Cannot(string what) => $"{op} ('{node.Name}') at opset {from} {what}, which has no conversion to a newer opset";
        switch (op)
        {
            case "Dropout":
                return Cannot("is a training-mode Dropout or has its mask read");
            case "Cast" or "Tile" or "LpPool" or "GlobalLpPool" or "ConvTranspose":
                return Cannot("uses a legacy form");
            case "PRelu" when from < 7:
                return Cannot("uses the legacy slope broadcast");
            case "Gemm":
                RemoveAttribute(node, "broadcast");
                return null;
            case "BatchNormalization":
                return BatchNormalization(node, Cannot);
            case "Reshape" when from < 5:
                return AttributeToInput(s, node, "shape", 1, Cannot);
            case "Concat":
                // Before opset 4 the axis defaulted to 1; it is required since.
                if (!node.HasAttribute("axis"))
                {
                    node.SetInt("axis", 1);
                }

                return null;
            case "Squeeze" or "Unsqueeze" or "ReduceSum":
                return node.HasAttribute("axes") ? AttributeToInput(s, node, "axes", 1, Cannot) : null;
            case "Split":
                return from < 2 ? Cannot("uses the legacy split input") : node.HasAttribute("split") ? AttributeToInput(s, node, "split", 1, Cannot) : null;
            case "TopK" when from < 10:
                return AttributeToInput(s, node, "k", 1, Cannot);
            case "Slice" when from < 10:
                return Slice(s, node);
            case "Pad" when from < 11:
                return from < 2 ? Cannot("uses the legacy paddings attribute") : Pad(s, node);
            case "Clip" when from < 11:
                return from < 6 ? Cannot("uses a legacy form") : Clip(s, node);
            case var _ when SoftmaxOps.Contains(op):
                return Softmax(s, node, shapes, Cannot);
            case var _ when BinaryOps.Contains(op):
                return LegacyBroadcast(s, node, shapes, Cannot);
            default:
                // Changes at v6 were the removal of consumed_inputs (dropped above).
                return OpsetCompatibility.BreakingVersionsOf(op)!.All(v => v == 6 || v <= from) ? null : Cannot("changed meaning");
        }
    }

    private static string? BatchNormalization(NodeProto node, Func<string, string> cannot)
    {
        if (node.GetInt("spatial", 1) != 1)
        {
            return cannot("normalises per activation (spatial = 0)");
        }

        if (node.Output.Skip(1).Any(o => o.Length > 0))
        {
            // Training outputs (running mean/var): an inference graph does not read them; drop the names.
            while (node.Output.Count > 1)
            {
                node.Output.RemoveAt(node.Output.Count - 1);
            }
        }

        RemoveAttribute(node, "spatial");
        RemoveAttribute(node, "is_test");
        return null;
    }

    private static string? AttributeToInput(RewriteSession s, NodeProto node, string attribute, int index, Func<string, string> cannot)
    {
        var a = node.Attribute.First(x => x.Name == attribute);
        if (a.Type is not (AttributeProto.Types.AttributeType.Int or AttributeProto.Types.AttributeType.Ints))
        {
            return cannot($"holds {attribute} as {a.Type}");
        }

        long[] values = a.Type == AttributeProto.Types.AttributeType.Int ? new[] { a.I } : a.Ints.ToArray();
        if (node.Input.Count > index && node.Input[index].Length > 0)
        {
            return cannot($"has both a {attribute} attribute and input");
        }

        // A single int (TopK's k) becomes a 1-D tensor of one element, as the newer operator wants.
        RewriteSession.SetInput(node, index, s.AddInt64s($"{Stem(node)}_{attribute}", values));
        node.Attribute.Remove(a);
        return null;
    }

    private static string? Slice(RewriteSession s, NodeProto node)
    {
        var starts = node.GetInts("starts", Array.Empty<long>());
        var ends = node.GetInts("ends", Array.Empty<long>());
        RewriteSession.SetInput(node, 1, s.AddInt64s($"{Stem(node)}_starts", starts));
        RewriteSession.SetInput(node, 2, s.AddInt64s($"{Stem(node)}_ends", ends));
        if (node.HasAttribute("axes"))
        {
            RewriteSession.SetInput(node, 3, s.AddInt64s($"{Stem(node)}_axes", node.GetInts("axes", Array.Empty<long>())));
        }

        RemoveAttribute(node, "starts");
        RemoveAttribute(node, "ends");
        RemoveAttribute(node, "axes");
        return null;
    }

    private static string? Pad(RewriteSession s, NodeProto node)
    {
        RewriteSession.SetInput(node, 1, s.AddInt64s($"{Stem(node)}_pads", node.GetInts("pads", Array.Empty<long>())));
        var value = node.GetFloat("value", 0f);
        if (value != 0f)
        {
            RewriteSession.SetInput(node, 2, s.AddTensor(TensorData.FromFloats(s.Fresh($"{Stem(node)}_value"), Array.Empty<long>(), new[] { value })));
        }

        RemoveAttribute(node, "pads");
        RemoveAttribute(node, "value");
        return null;
    }

    private static string? Clip(RewriteSession s, NodeProto node)
    {
        string Scalar(string attribute) => node.HasAttribute(attribute)
            ? s.AddTensor(TensorData.FromFloats(s.Fresh($"{Stem(node)}_{attribute}"), Array.Empty<long>(), new[] { node.GetFloat(attribute, 0f) }))
            : "";
        var min = Scalar("min");
        var max = Scalar("max");
        if (min.Length > 0 || max.Length > 0)
        {
            RewriteSession.SetInput(node, 1, min);
        }

        if (max.Length > 0)
        {
            RewriteSession.SetInput(node, 2, max);
        }

        RemoveAttribute(node, "min");
        RemoveAttribute(node, "max");
        return null;
    }

    /// <summary>
    /// Before opset 13, Softmax flattened its input to 2-D at <c>axis</c> (default 1) and normalised each row; from 13 it
    /// normalises along one axis (default −1). Equal when the axis is the last one; otherwise Flatten → Softmax → Reshape.
    /// </summary>
    private static string? Softmax(RewriteSession s, NodeProto node, IReadOnlyDictionary<string, long[]> shapes, Func<string, string> cannot)
    {
        if (!shapes.TryGetValue(node.Input[0], out var shape))
        {
            return cannot("has an input of unknown rank");
        }

        var rank = shape.Length;
        var axis = node.GetInt("axis", 1);
        axis = axis < 0 ? axis + rank : axis;
        if (axis == rank - 1)
        {
            node.SetInt("axis", axis);
            return null;
        }

        var x = node.Input[0];
        var stem = Stem(node);
        var flat = s.NewNode("Flatten", $"{stem}_flatten", new[] { x }, new[] { s.Fresh($"{stem}_flat") }).SetInt("axis", axis);
        var soft = s.NewNode(node.OpType, $"{stem}_2d", new[] { flat.Output[0] }, new[] { s.Fresh($"{stem}_rows") }).SetInt("axis", 1);
        var dims = s.NewNode("Shape", $"{stem}_shape", new[] { x }, new[] { s.Fresh($"{stem}_dims") });
        var back = s.NewNode("Reshape", $"{stem}_reshape", new[] { soft.Output[0], dims.Output[0] }, new[] { node.Output[0] });
        s.Replace(node, new[] { flat, soft, dims, back });
        return null;
    }

    /// <summary>
    /// Binary operators before opset 7: without <c>broadcast</c> both shapes are equal; with broadcast = 1 the second
    /// operand matches a contiguous run of the first's dimensions starting at <c>axis</c> (default: the trailing ones).
    /// A constant second operand is reshaped with trailing 1s so that numpy broadcasting means the same.
    /// </summary>
    private static string? LegacyBroadcast(RewriteSession s, NodeProto node, IReadOnlyDictionary<string, long[]> shapes, Func<string, string> cannot)
    {
        var broadcast = node.GetInt("broadcast", 0);
        var axisGiven = node.HasAttribute("axis");
        if (broadcast == 1 && axisGiven)
        {
            if (node.Input.Count < 2 || s.Index.Constant(node.Input[1]) is not { } b)
            {
                return cannot("broadcasts a computed operand along an axis");
            }

            if (!shapes.TryGetValue(node.Input[0], out var a))
            {
                return cannot("has a first operand of unknown rank");
            }

            var axis = node.GetInt("axis", 0);
            axis = axis < 0 ? axis + a.Length : axis;
            var trailing = a.Length - axis - b.Dims.Count;
            if (trailing < 0)
            {
                return cannot("broadcasts past the first operand's rank");
            }

            if (trailing > 0)
            {
                var reshaped = b.Clone();
                reshaped.Name = s.Fresh($"{b.Name}_aligned");
                reshaped.Dims.AddRange(Enumerable.Repeat(1L, (int)trailing));
                RewriteSession.SetInput(node, 1, s.AddTensor(reshaped));
            }
        }

        RemoveAttribute(node, "broadcast");
        RemoveAttribute(node, "axis");
        return null;
    }

    private static string Stem(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output[0];

    private static void RemoveAttribute(NodeProto node, string name)
    {
        if (node.Attribute.FirstOrDefault(a => a.Name == name) is { } a)
        {
            node.Attribute.Remove(a);
        }
    }
}
