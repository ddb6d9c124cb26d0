namespace AdaDeep.Compression.Techniques.Packing;

/// <summary>
/// Fixed-width unsigned fields packed LSB first into bytes: field k occupies bits [k·w, (k+1)·w) of the stream, bit
/// j of the stream is bit (j mod 8) of byte ⌊j/8⌋. That is the order the in-graph decoder expands bytes into bits.
/// </summary>
public static class BitStream
{
    public static byte[] Pack(IReadOnlyList<int> fields, int width)
    {
        if (width is < 1 or > 24)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "field width must be 1..24 bits");
        }

        var bytes = new byte[(fields.Count * (long)width + 7) / 8];
        long bit = 0;
        foreach (var field in fields)
        {
            if (field < 0 || field >= 1 << width)
            {
                throw new ArgumentOutOfRangeException(nameof(fields), $"field {field} does not fit in {width} bits");
            }

            for (var j = 0; j < width; j++, bit++)
            {
                if ((field >> j & 1) != 0)
                {
                    bytes[bit >> 3] |= (byte)(1 << (int)(bit & 7));
                }
            }
        }

        return bytes;
    }

    public static int[] Unpack(ReadOnlySpan<byte> bytes, int count, int width)
    {
        if (count * (long)width > bytes.Length * 8L)
        {
            throw new ArgumentException($"{bytes.Length} bytes hold fewer than {count} fields of {width} bits", nameof(bytes));
        }

        var fields = new int[count];
        long bit = 0;
        for (var k = 0; k < count; k++)
        {
            var field = 0;
            for (var j = 0; j < width; j++, bit++)
            {
                field |= (bytes[(int)(bit >> 3)] >> (int)(bit & 7) & 1) << j;
            }

            fields[k] = field;
        }

        return fields;
    }
}
