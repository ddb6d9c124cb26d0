using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AdaDeep.Fuzz.Targets;

/// <summary>Writes .npy, .npz and IDX files byte for byte as numpy.save/savez and the MNIST distribution lay them out.</summary>
public static class DataFiles
{
    public static byte[] Npy(string descr, int[] shape, byte[] data, int version = 1)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        var prefix = version == 1 ? 10 : 12;
        var total = (prefix + header.Length + 1 + 63) / 64 * 64; // numpy pads the header to 64 bytes
        header = header.PadRight(total - prefix - 1) + "\n";
        var stream = new MemoryStream();
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 });
        stream.Write(version == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
        return stream.ToArray();
    }

    public static byte[] Npz(IEnumerable<(string Name, byte[] Npy)> arrays, bool compressed)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in arrays)
            {
                // A fixed time stamp: the same arrays give the same archive bytes.
                var entry = zip.CreateEntry(name, compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var s = entry.Open();
                s.Write(bytes);
            }
        }

        return output.ToArray();
    }

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

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    public static bool IsGzip(byte[] data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    public static bool IsZip(byte[] data) => data.Length >= 4 && data[0] == (byte)'P' && data[1] == (byte)'K';

    public static byte[] Floats(IEnumerable<float> values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Doubles(IEnumerable<double> values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Int64s(IEnumerable<long> values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Int32s(IEnumerable<int> values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
