namespace AdaDeep.Compression.Techniques.Packing;

/// <summary>
/// A float tensor with few distinct values (after k-means weight sharing, <see cref="Quantization.KMeansCodebook"/>)
/// stored as a codebook and b-bit indices into it (Deep Compression, Han et al. 2016, section 3), either
/// <list type="bullet">
/// <item>dense: one index per element, or</item>
/// <item>sparse: one (gap, index) entry per non-zero, gap = zeros skipped since the previous entry, in g bits; a gap
/// longer than 2^g − 1 inserts a filler entry that points at codebook[0] = 0 (the paper's relative-index storage).</item>
/// </list>
/// Encoding is exact: <see cref="Decode"/> gives back the very same floats, bit for bit (−0 becomes +0).
/// </summary>
public sealed record CodebookEncoding(float[] Codebook, int IndexBits, int GapBits, int Entries, long Length, byte[] Stream)
{
    /// <summary>Largest codebook this encoding takes (8-bit indices).</summary>
    public const int MaxCodebook = 256;

    public bool IsSparse => GapBits > 0;

    /// <summary>Bits of one entry in <see cref="Stream"/>: gap (low bits, sparse only) then index.</summary>
    public int EntryBits => GapBits + IndexBits;

    /// <summary>Bytes of the data (stream and codebook; fp16 codebook when <paramref name="halfCodebook"/>).</summary>
    public long DataBytes(bool halfCodebook) => Stream.LongLength + Codebook.Length * (halfCodebook ? 2L : 4L);

    /// <summary>The distinct values of <paramref name="values"/> with 0 first, or null when there are more than <paramref name="max"/>.</summary>
    public static float[]? TryCodebook(ReadOnlySpan<float> values, int max = MaxCodebook)
    {
        var distinct = new HashSet<float> { 0f };
        foreach (var v in values)
        {
            if (float.IsNaN(v) || (distinct.Add(v == 0 ? 0f : v) && distinct.Count > max))
            {
                return null;
            }
        }

        return distinct.Where(v => v != 0).Order().Prepend(0f).ToArray();
    }

    /// <summary>Dense form: one index per element.</summary>
    public static CodebookEncoding Dense(ReadOnlySpan<float> values, float[] codebook)
    {
        var bits = IndexBitsFor(codebook.Length);
        var lookup = Lookup(codebook);
        var indices = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            indices[i] = lookup[values[i] == 0 ? 0f : values[i]];
        }

        return new CodebookEncoding(codebook, bits, 0, values.Length, values.Length, BitStream.Pack(indices, bits));
    }

    /// <summary>Sparse form with <paramref name="gapBits"/>-bit relative indices.</summary>
    public static CodebookEncoding Sparse(ReadOnlySpan<float> values, float[] codebook, int gapBits)
    {
        if (gapBits is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(gapBits), "gap width must be 1..16 bits");
        }

        var bits = IndexBitsFor(codebook.Length);
        var lookup = Lookup(codebook);
        var maxGap = (1 << gapBits) - 1;
        var fields = new List<int>();
        var last = -1L;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] == 0)
            {
                continue;
            }

            while (i - last - 1 > maxGap)
            {
                fields.Add(maxGap); // filler: skips maxGap zeros and lands on a zero (index 0)
                last += maxGap + 1;
            }

            fields.Add((int)(i - last - 1) | lookup[values[i]] << gapBits);
            last = i;
        }

        return new CodebookEncoding(codebook, bits, gapBits, fields.Count, values.Length, BitStream.Pack(fields, gapBits + bits));
    }

    /// <summary>The smallest of the dense form and the sparse forms with 1..8-bit gaps.</summary>
    public static CodebookEncoding Best(ReadOnlySpan<float> values, float[] codebook)
    {
        var best = Dense(values, codebook);
        for (var g = 1; g <= 8; g++)
        {
            var sparse = Sparse(values, codebook, g);
            if (sparse.Stream.Length < best.Stream.Length)
            {
                best = sparse;
            }
        }

        return best;
    }

    /// <summary>The tensor this encodes (what the in-graph decoder computes).</summary>
    public float[] Decode()
    {
        var fields = BitStream.Unpack(Stream, Entries, EntryBits);
        var result = new float[Length];
        if (!IsSparse)
        {
            for (var i = 0; i < fields.Length; i++)
            {
                result[i] = Codebook[fields[i]];
            }

            return result;
        }

        var position = -1L;
        foreach (var field in fields)
        {
            position += (field & ((1 << GapBits) - 1)) + 1;
            result[position] = Codebook[field >> GapBits];
        }

        return result;
    }

    /// <summary>Bits per index for a codebook of <paramref name="size"/> entries (at least 1).</summary>
    public static int IndexBitsFor(int size) => Math.Max(1, (int)Math.Ceiling(Math.Log2(Math.Max(2, size))));

    private static Dictionary<float, int> Lookup(float[] codebook)
    {
        if (codebook.Length == 0 || codebook[0] != 0 || codebook.Length > MaxCodebook)
        {
            throw new ArgumentException("the codebook must start with 0 and hold at most 256 values", nameof(codebook));
        }

        var lookup = new Dictionary<float, int>();
        for (var i = 0; i < codebook.Length; i++)
        {
            lookup.Add(codebook[i], i);
        }

        return lookup;
    }
}
