namespace AdaDeep.Fuzz;

/// <summary>
/// One field of a protobuf message as it is on the wire, without a schema: its number, wire type and value. A
/// length-delimited field whose bytes parse as a message keeps them as <see cref="Children"/> (a string can parse by
/// chance; a mutation of it is still a fair input). Serializing recomputes the lengths, unless
/// <see cref="LengthOverride"/> asks for a wrong one.
/// </summary>
internal sealed class WireField
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private const int MaxDepth = 24;

    public int Number { get; set; }

    public int WireType { get; set; }

    /// <summary>The varint or fixed value.</summary>
    public ulong Value { get; set; }

    /// <summary>The payload of a length-delimited field that is not a message (or a message left opaque).</summary>
    public byte[] Bytes { get; set; } = Array.Empty<byte>();

    public List<WireField>? Children { get; set; }

    /// <summary>When set, the length written for this field instead of the true one.</summary>
    public ulong? LengthOverride { get; set; }

    public WireField DeepClone() => new()
    {
        Number = Number,
        WireType = WireType,
        Value = Value,
        Bytes = Bytes,
        Children = Children?.Select(c => c.DeepClone()).ToList(),
        LengthOverride = LengthOverride,
    };

    /// <summary>The fields of a message, or null when the bytes are not exactly a sequence of well-formed fields.</summary>
    public static List<WireField>? TryParse(ReadOnlySpan<byte> data, int depth = 0)
    {
        var fields = new List<WireField>();
        var at = 0;
        while (at < data.Length)
        {
            if (!TryReadVarint(data, ref at, out var tag) || tag >> 3 is 0 or > 536_870_911)
            {
                return null;
            }

            var field = new WireField { Number = (int)(tag >> 3), WireType = (int)(tag & 7) };
            switch (field.WireType)
            {
                case Varint:
                    if (!TryReadVarint(data, ref at, out var value))
                    {
                        return null;
                    }

                    field.Value = value;
                    break;
                case Fixed64:
                    if (data.Length - at < 8)
                    {
                        return null;
                    }

                    field.Value = BitConverter.ToUInt64(data.Slice(at, 8));
                    at += 8;
                    break;
                case Fixed32:
                    if (data.Length - at < 4)
                    {
                        return null;
                    }

                    field.Value = BitConverter.ToUInt32(data.Slice(at, 4));
                    at += 4;
                    break;
                case LengthDelimited:
                    if (!TryReadVarint(data, ref at, out var length) || length > (ulong)(data.Length - at))
                    {
                        return null;
                    }

                    var payload = data.Slice(at, (int)length);
                    at += (int)length;
                    field.Bytes = payload.ToArray();
                    if (depth < MaxDepth && payload.Length > 0)
                    {
                        field.Children = TryParse(payload, depth + 1);
                    }

                    break;
                default:
                    return null; // groups (3, 4) and invalid wire types: not something ONNX writes
            }

            fields.Add(field);
        }

        return fields;
    }

    public static byte[] Serialize(IEnumerable<WireField> fields)
    {
        var output = new MemoryStream();
        Write(output, fields);
        return output.ToArray();
    }

    private static void Write(Stream output, IEnumerable<WireField> fields)
    {
        foreach (var field in fields)
        {
            WriteVarint(output, ((ulong)field.Number << 3) | (uint)field.WireType);
            switch (field.WireType)
            {
                case Varint:
                    WriteVarint(output, field.Value);
                    break;
                case Fixed64:
                    output.Write(BitConverter.GetBytes(field.Value));
                    break;
                case Fixed32:
                    output.Write(BitConverter.GetBytes((uint)field.Value));
                    break;
                default:
                    var payload = field.Children is null ? field.Bytes : Serialize(field.Children);
                    WriteVarint(output, field.LengthOverride ?? (ulong)payload.Length);
                    output.Write(payload);
                    break;
            }
        }
    }

    public static bool TryReadVarint(ReadOnlySpan<byte> data, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (at >= data.Length)
            {
                return false;
            }

            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    public static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
