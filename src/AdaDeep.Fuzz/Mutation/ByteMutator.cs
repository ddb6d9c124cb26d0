namespace AdaDeep.Fuzz;

/// <summary>The format-blind mutations: they find what parsers assume about lengths, offsets and magic numbers.</summary>
public enum ByteMutation
{
    BitFlip,
    InsertBytes,
    DeleteBytes,
    Truncate,
    Splice,
    InterestingValue,
    DuplicateBlock,
}

/// <summary>
/// Byte-level mutations. Positions favour the first and last 256 bytes half of the time, where headers, magic
/// numbers and (for zip) the central directory live; small files are otherwise hit mostly in their payload.
/// </summary>
public sealed class ByteMutator : IMutator
{
    /// <summary>Values at the edges of the integer types, as 1, 2, 4 and 8 little- and big-endian bytes.</summary>
    private static readonly ulong[] InterestingValues =
    {
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, 16, 64, 100, 1000, 4096, 65536,
    };

    public ByteMutator(ByteMutation kind) => Kind = kind;

    public static IReadOnlyList<IMutator> All { get; } = Enum.GetValues<ByteMutation>().Select(k => (IMutator)new ByteMutator(k)).ToArray();

    public ByteMutation Kind { get; }

    public string Name => "byte." + Kind;

    public byte[] Mutate(byte[] input, Random random, IReadOnlyList<FuzzSeed> corpus)
    {
        var data = new List<byte>(input);
        switch (Kind)
        {
            case ByteMutation.BitFlip:
                for (int i = 0, n = 1 + random.Next(8); i < n && data.Count > 0; i++)
                {
                    var at = Position(random, data.Count);
                    data[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case ByteMutation.InsertBytes:
            {
                var at = Position(random, data.Count + 1);
                var bytes = new byte[1 + random.Next(random.Next(2) == 0 ? 4 : 64)];
                random.NextBytes(bytes);
                data.InsertRange(at, bytes);
                break;
            }

            case ByteMutation.DeleteBytes:
                if (data.Count > 0)
                {
                    var at = Position(random, data.Count);
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(random.Next(2) == 0 ? 4 : 256)));
                }

                break;
            case ByteMutation.Truncate:
                return input.AsSpan(0, random.Next(Math.Max(1, input.Length))).ToArray();
            case ByteMutation.Splice:
            {
                var other = corpus[random.Next(corpus.Count)].Bytes;
                var cut = random.Next(data.Count + 1);
                var from = random.Next(other.Length + 1);
                return input.AsSpan(0, cut).ToArray().Concat(other.AsSpan(from).ToArray()).ToArray();
            }

            case ByteMutation.InterestingValue:
                if (data.Count > 0)
                {
                    var width = 1 << random.Next(4); // 1, 2, 4 or 8 bytes
                    var value = InterestingValues[random.Next(InterestingValues.Length)];
                    if (random.Next(2) == 0)
                    {
                        value = unchecked(0 - value); // negative numbers too
                    }

                    var bigEndian = random.Next(2) == 0;
                    var at = Position(random, data.Count);
                    for (var i = 0; i < width && at + i < data.Count; i++)
                    {
                        var shift = 8 * (bigEndian ? width - 1 - i : i);
                        data[at + i] = (byte)(value >> shift);
                    }
                }

                break;
            case ByteMutation.DuplicateBlock:
                if (data.Count > 0)
                {
                    var from = Position(random, data.Count);
                    var length = Math.Min(data.Count - from, 1 + random.Next(128));
                    var block = data.GetRange(from, length);
                    data.InsertRange(Position(random, data.Count + 1), block);
                }

                break;
        }

        return data.ToArray();
    }

    /// <summary>A position in [0, count): uniform half of the time, else within 256 bytes of either end.</summary>
    internal static int Position(Random random, int count)
    {
        if (count <= 1)
        {
            return 0;
        }

        return random.Next(4) switch
        {
            0 => random.Next(Math.Min(count, 256)),
            1 => count - 1 - random.Next(Math.Min(count, 256)),
            _ => random.Next(count),
        };
    }
}
