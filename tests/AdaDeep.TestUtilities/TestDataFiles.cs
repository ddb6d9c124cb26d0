using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace AdaDeep.TestUtilities;

/// <summary>Writes tiny .npy/.npz and IDX files byte by byte, the way numpy.save and the MNIST distribution do.</summary>
public static class TestDataFiles
{
    public static byte[] Npy(string descr, int[] shape, byte[] data, bool fortranOrder = false, int version = 1)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        var prefix = version == 1 ? 10 : 12;
        var total = (prefix + header.Length + 1 + 63) / 64 * 64; // numpy pads the header to 64 bytes with spaces and '\n'
        header = header.PadRight(total - prefix - 1) + "\n";
        var stream = new MemoryStream();
        stream.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 });
        if (version == 1)
        {
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
        }
        else
        {
            stream.Write(BitConverter.GetBytes((uint)header.Length));
        }

        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
        return stream.ToArray();
    }

    public static byte[] F4(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] F8(params double[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] I8(params long[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] I4(params int[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static void Npz(string path, IReadOnlyDictionary<string, byte[]> arrays, bool compressed = false)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in arrays)
        {
            var entry = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            using var s = entry.Open();
            s.Write(bytes);
        }
    }

    /// <summary>An IDX file of unsigned bytes: magic 0,0,0x08,rank, big-endian dimensions, data.</summary>
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
}

/// <summary>A temporary folder deleted at the end of a test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("adadeep-data-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
