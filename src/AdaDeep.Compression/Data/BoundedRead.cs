namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads a length a file header announces without trusting it: memory grows with the bytes that really arrive, so a
/// 100-byte file that claims two gigabytes of data costs a small read and an error, not a 2 GB allocation.
/// </summary>
internal static class BoundedRead
{
    private const int Chunk = 1 << 20;

    /// <summary>Exactly <paramref name="count"/> bytes, or null when the stream ends first (<paramref name="read"/> says where).</summary>
    public static byte[]? Exactly(Stream stream, int count, out long read)
    {
        if (stream.CanSeek && stream.Length - stream.Position < count)
        {
            read = Math.Max(0, stream.Length - stream.Position);
            return null;
        }

        if (count <= Chunk)
        {
            var small = new byte[count];
            read = stream.ReadAtLeast(small, count, throwOnEndOfStream: false);
            return read < count ? null : small;
        }

        // A stream of unknown length (gzip, a zip entry): read in chunks, allocate the whole only once it is all there.
        var chunks = new List<byte[]>();
        read = 0;
        while (read < count)
        {
            var chunk = new byte[Math.Min(Chunk, count - read)];
            var got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            read += got;
            if (got < chunk.Length)
            {
                return null;
            }

            chunks.Add(chunk);
        }

        var all = new byte[count];
        var at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(all, at);
            at += chunk.Length;
        }

        return all;
    }

    /// <summary>The product of non-negative dimensions, saturated just above <see cref="Array.MaxLength"/> (0 when any is 0).</summary>
    public static long ElementCount(IEnumerable<long> dims)
    {
        var list = dims as IReadOnlyCollection<long> ?? dims.ToList();
        if (list.Any(d => d == 0))
        {
            return 0;
        }

        long count = 1;
        foreach (var d in list)
        {
            count = count > (Array.MaxLength + 1L) / d ? Array.MaxLength + 1L : count * d;
        }

        return count;
    }
}
