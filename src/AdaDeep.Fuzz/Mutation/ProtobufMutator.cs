namespace AdaDeep.Fuzz;

/// <summary>The protobuf-aware mutations (see <see cref="ProtobufMutator"/>).</summary>
public enum ProtobufMutation
{
    /// <summary>A varint (an enum, a dimension, an attribute int, an IR version) set to an edge value.</summary>
    VarintValue,

    /// <summary>One element of a packed repeated varint field (tensor dims, attribute ints) set to an edge value.</summary>
    PackedVarint,

    /// <summary>A float or double set to NaN, ±infinity, 0, a huge or a negative value.</summary>
    FixedValue,

    DeleteField,
    DuplicateField,

    /// <summary>A field (a whole node, initializer or dimension) copied into another message of the same file.</summary>
    CopyFieldElsewhere,

    /// <summary>A string (an op type, a value name, a data type name) replaced with another string of the file.</summary>
    SwapStrings,

    /// <summary>A length prefix made wrong: shorter, longer, or huge; the payload is left as it was.</summary>
    CorruptLength,

    /// <summary>A field's number or wire type changed.</summary>
    CorruptTag,
}

/// <summary>
/// Mutations that understand the protobuf wire format but not the ONNX schema: most keep the file well-formed so that
/// the mutant gets past the parser into validation, shape inference and analysis, where the deeper bugs are.
/// An input that is not protobuf falls back to a bit flip.
/// </summary>
public sealed class ProtobufMutator : IMutator
{
    private static readonly ulong[] EdgeVarints =
    {
        0, 1, 2, 3, 7, 16, 255, 256, 65535, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 1UL << 40,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, unchecked((ulong)-2L), unchecked((ulong)-1000L),
    };

    private static readonly float[] EdgeFloats =
    {
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, -1f, 1e38f, -1e38f, float.Epsilon, 1e-45f, 65504f,
    };

    public ProtobufMutator(ProtobufMutation kind) => Kind = kind;

    public static IReadOnlyList<IMutator> All { get; } =
        Enum.GetValues<ProtobufMutation>().Select(k => (IMutator)new ProtobufMutator(k)).ToArray();

    public ProtobufMutation Kind { get; }

    public string Name => "protobuf." + Kind;

    public byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        var root = WireField.TryParse(input);
        if (root is null || root.Count == 0)
        {
            return new ByteMutator(ByteMutation.BitFlip).Mutate(input, random, corpus);
        }

        var slots = new List<(List<WireField> Parent, int Index)>();
        Collect(root, slots);
        bool Pick(Func<WireField, bool> wanted, out List<WireField> parent, out int index)
        {
            var candidates = slots.Where(s => wanted(s.Parent[s.Index])).ToList();
            (parent, index) = candidates.Count == 0 ? (root, 0) : candidates[random.Next(candidates.Count)];
            return candidates.Count > 0;
        }

        switch (Kind)
        {
            case ProtobufMutation.VarintValue:
                if (Pick(f => f.WireType == WireField.Varint, out var vp, out var vi))
                {
                    vp[vi].Value = EdgeOrNear(vp[vi].Value, random);
                }

                break;
            case ProtobufMutation.PackedVarint:
                if (Pick(f => f.WireType == WireField.LengthDelimited && PackedVarints(f) is { Count: > 0 }, out var pp, out var pi))
                {
                    var field = pp[pi];
                    var values = PackedVarints(field)!;
                    var which = random.Next(values.Count);
                    values[which] = EdgeOrNear(values[which], random);
                    if (random.Next(4) == 0)
                    {
                        values.RemoveAt(random.Next(values.Count)); // a rank change
                    }

                    var packed = new MemoryStream();
                    values.ForEach(v => WireField.WriteVarint(packed, v));
                    field.Bytes = packed.ToArray();
                    field.Children = null;
                }

                break;
            case ProtobufMutation.FixedValue:
                if (Pick(f => f.WireType is WireField.Fixed32 or WireField.Fixed64, out var fp, out var fi))
                {
                    var value = EdgeFloats[random.Next(EdgeFloats.Length)];
                    fp[fi].Value = fp[fi].WireType == WireField.Fixed32
                        ? BitConverter.SingleToUInt32Bits(value)
                        : BitConverter.DoubleToUInt64Bits(value);
                }

                break;
            case ProtobufMutation.DeleteField:
                Pick(_ => true, out var dp, out var di);
                dp.RemoveAt(di);
                break;
            case ProtobufMutation.DuplicateField:
                Pick(_ => true, out var up, out var ui);
                up.Insert(ui + random.Next(2), up[ui].DeepClone());
                break;
            case ProtobufMutation.CopyFieldElsewhere:
            {
                Pick(_ => true, out var sp, out var si);
                var messages = slots.Where(s => s.Parent[s.Index].Children is not null).Select(s => s.Parent[s.Index].Children!).Append(root).ToList();
                var target = messages[random.Next(messages.Count)];
                target.Insert(random.Next(target.Count + 1), sp[si].DeepClone());
                break;
            }

            case ProtobufMutation.SwapStrings:
            {
                var strings = slots.Select(s => s.Parent[s.Index]).Where(IsText).ToList();
                if (strings.Count > 1)
                {
                    var a = strings[random.Next(strings.Count)];
                    var b = strings[random.Next(strings.Count)];
                    a.Bytes = b.Bytes;
                    a.Children = null;
                }

                break;
            }

            case ProtobufMutation.CorruptLength:
                if (Pick(f => f.WireType == WireField.LengthDelimited, out var lp, out var li))
                {
                    var field = lp[li];
                    var length = (ulong)(field.Children is null ? field.Bytes.Length : WireField.Serialize(field.Children).Length);
                    field.LengthOverride = random.Next(3) switch
                    {
                        0 => length + (ulong)random.Next(1, 9),
                        1 => length - Math.Min(length, (ulong)random.Next(1, 9)),
                        _ => EdgeVarints[random.Next(EdgeVarints.Length)],
                    };
                }

                break;
            case ProtobufMutation.CorruptTag:
                Pick(_ => true, out var tp, out var ti);
                if (random.Next(2) == 0)
                {
                    tp[ti].Number = random.Next(3) == 0 ? random.Next(1, 536_870_911) : random.Next(1, 24);
                }
                else
                {
                    // Another wire type with the value reinterpreted: a varint read as a length, a message as a float…
                    var old = tp[ti];
                    var type = new[] { WireField.Varint, WireField.Fixed64, WireField.LengthDelimited, WireField.Fixed32 }[random.Next(4)];
                    tp[ti] = new WireField { Number = old.Number, WireType = type, Value = old.Value, Bytes = old.Children is null ? old.Bytes : WireField.Serialize(old.Children) };
                }

                break;
        }

        return WireField.Serialize(root);
    }

    private static void Collect(List<WireField> fields, List<(List<WireField>, int)> slots)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            slots.Add((fields, i));
            if (fields[i].Children is { } children)
            {
                Collect(children, slots);
            }
        }
    }

    private static ulong EdgeOrNear(ulong value, Random random) => random.Next(3) switch
    {
        0 => value + (ulong)random.Next(1, 4),
        1 => value - (ulong)random.Next(1, 4),
        _ => EdgeVarints[random.Next(EdgeVarints.Length)],
    };

    /// <summary>The payload as packed varints (at most 64 of them), or null when it is not a run of varints.</summary>
    private static List<ulong>? PackedVarints(WireField field)
    {
        var bytes = field.Children is null ? field.Bytes : WireField.Serialize(field.Children);
        if (bytes.Length == 0 || bytes.Length > 640)
        {
            return null;
        }

        var values = new List<ulong>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (!WireField.TryReadVarint(bytes, ref at, out var v) || values.Count >= 64)
            {
                return null;
            }

            values.Add(v);
        }

        return values;
    }

    private static bool IsText(WireField field) =>
        field.WireType == WireField.LengthDelimited && field.Bytes.Length is > 0 and <= 128 &&
        field.Bytes.All(b => b is >= 0x20 and < 0x7F);
}
