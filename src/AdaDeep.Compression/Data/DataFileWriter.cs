using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Writes the files <see cref="DatasetLoader"/> reads, byte for byte as numpy.save / numpy.savez and the MNIST
/// distribution lay them out: .npy arrays, .npz archives and IDX files (raw or gzip). It writes what it is given
/// (any dtype string, any bytes) so that tests and the fuzzer can also build the damaged files the loader must refuse;
/// <see cref="Floats"/> and its siblings pack values little-endian, the layout the "&lt;" dtypes name.
/// </summary>
public static class DataFileWriter
{
    /// <summary>A fixed time stamp for archive entries: the same arrays always give the same archive bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One .npy array: magic, format <paramref name="version"/> (1 or 2), the header dict, then <paramref name="data"/>.</summary>
    public static byte[] Npy(string descr, int[] shape, byte[] data, bool fortranOrder = false, int version = 1)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        var prefix = version == 1 ? 10 : 12;
        var total = (prefix + header.Length + 1 + 63) / 64 * 64; // numpy pads the header to 64 bytes with spaces and '\n'
        header = header.PadRight(total - prefix - 1) + "\n";
        var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0]);
        stream.Write(version == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
        return stream.ToArray();
    }

    /// <summary>A zip archive holding <paramref name="entries"/> under exactly the names given, in that order.</summary>
    public static byte[] Npz(IEnumerable<(string EntryName, byte[] Npy)> entries, bool compressed = false)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = zip.CreateEntry(name, compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                entry.LastWriteTime = EntryTime;
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// Writes a .npz to <paramref name="path"/> as numpy.savez(path, **arrays) (or savez_compressed) does: array
    /// <c>name</c> is entry <c>name.npy</c>.
    /// </summary>
    public static void SaveNpz(string path, IReadOnlyDictionary<string, byte[]> arrays, bool compressed = false) =>
        File.WriteAllBytes(path, Npz(arrays.Select(a => (a.Key + ".npy", a.Value)), compressed));

    /// <summary>An IDX file of unsigned bytes: magic 0, 0, 0x08, rank, big-endian dimensions, data.</summary>
    public static byte[] Idx(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        }

        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>The gzip form of a file, as the MNIST distribution ships its IDX files (*.gz).</summary>
    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>The bytes of dtype &lt;f4.</summary>
    public static byte[] Floats(params IEnumerable<float> values) => Pack(values, sizeof(float), BinaryPrimitives.WriteSingleLittleEndian);

    /// <summary>The bytes of dtype &lt;f8.</summary>
    public static byte[] Doubles(params IEnumerable<double> values) => Pack(values, sizeof(double), BinaryPrimitives.WriteDoubleLittleEndian);

    /// <summary>The bytes of dtype &lt;i8.</summary>
    public static byte[] Int64s(params IEnumerable<long> values) => Pack(values, sizeof(long), BinaryPrimitives.WriteInt64LittleEndian);

    /// <summary>The bytes of dtype &lt;i4.</summary>
    public static byte[] Int32s(params IEnumerable<int> values) => Pack(values, sizeof(int), BinaryPrimitives.WriteInt32LittleEndian);

    private static byte[] Pack<T>(IEnumerable<T> values, int size, SpanWriter<T> write)
    {
        var items = values as IReadOnlyCollection<T> ?? values.ToArray();
        var bytes = new byte[items.Count * size];
        var offset = 0;
        foreach (var value in items)
        {
            write(bytes.AsSpan(offset), value);
            offset += size;
        }

        return bytes;
    }

    private delegate void SpanWriter<in T>(Span<byte> destination, T value);
}
