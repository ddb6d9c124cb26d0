using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Compression.Data;

/// <summary>
/// One NumPy .npy array: shape, dtype and the raw little-endian bytes. Reads format versions 1–3 with dtypes
/// &lt;f4, &lt;f8, &lt;f2, |u1, |b1, &lt;i8, &lt;i4 in C order (the layouts numpy.save writes on little-endian machines).
/// </summary>
internal sealed partial class NpyArray
{
    /// <summary>numpy.load refuses headers over 10,000 bytes by default (max_header_size); allow far more, not gigabytes.</summary>
    public const int MaxHeaderLength = 1 << 20;

    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    private NpyArray(int[] shape, string dtype, byte[] data)
    {
        Shape = shape;
        Dtype = dtype;
        Data = data;
    }

    public int[] Shape { get; }

    public string Dtype { get; }

    public byte[] Data { get; }

    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Reads one array from <paramref name="stream"/>; errors name <paramref name="file"/> and, inside an archive,
    /// the <paramref name="entry"/>.
    /// </summary>
    public static NpyArray Read(Stream stream, string file, string? entry = null)
    {
        try
        {
            return ReadArray(stream, file);
        }
        catch (AdaDeepException e) when (entry is not null)
        {
            throw new AdaDeepException(e.Code, $"{entry}: {e.Message}", file, e.InnerException);
        }
    }

    private static NpyArray ReadArray(Stream stream, string file)
    {
        var prefix = ReadExactly(stream, 8, file, "the .npy header");
        if (!prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw Malformed(file, "not a NumPy .npy array (bad magic)");
        }

        var major = prefix[6];
        long headerLength = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, file, "the .npy header length")),
            2 or 3 => BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, file, "the .npy header length")),
            _ => throw Malformed(file, $"unsupported .npy format version {major}"),
        };
        if (headerLength > MaxHeaderLength)
        {
            throw Malformed(file, $"the .npy header claims {headerLength} bytes; headers numpy writes are far below {MaxHeaderLength}");
        }

        var header = Encoding.Latin1.GetString(ReadExactly(stream, (int)headerLength, file, "the .npy header"));

        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw Malformed(file, $"cannot read the .npy header '{header.Trim()}'");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw Malformed(file, "Fortran-order arrays are not supported; save with numpy.ascontiguousarray");
        }

        var dtype = descr.Groups[1].Value;
        var itemSize = ItemSize(dtype) ?? throw Malformed(file,
            $"dtype '{dtype}' is not supported (use <f4, <f8, <f2, |u1, |b1, <i8 or <i4)");
        int[] shape;
        try
        {
            shape = shapeMatch.Groups[1].Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture))
                .ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw Malformed(file, $"cannot read the shape in the .npy header '{header.Trim()}'");
        }

        var count = BoundedRead.ElementCount(shape.Select(d => (long)d));
        var bytes = count * itemSize; // count is at most Array.MaxLength + 1: no overflow
        if (bytes > Array.MaxLength)
        {
            throw Malformed(file, $"the array of shape ({string.Join(",", shape)}) is too large to load");
        }

        var data = ReadExactly(stream, (int)bytes, file, $"the data of shape ({string.Join(",", shape)})");
        return new NpyArray(shape, dtype, data);
    }

    public float[] ToFloats()
    {
        var n = checked((int)Length);
        var result = new float[n];
        var d = Data.AsSpan();
        switch (Dtype)
        {
            case "<f4":
                for (var i = 0; i < n; i++) { result[i] = BinaryPrimitives.ReadSingleLittleEndian(d[(i * 4)..]); }
                break;
            case "<f8":
                for (var i = 0; i < n; i++) { result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(d[(i * 8)..]); }
                break;
            case "|u1" or "|b1":
                for (var i = 0; i < n; i++) { result[i] = d[i]; }
                break;
            case "<f2":
                for (var i = 0; i < n; i++) { result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(d[(i * 2)..]); }
                break;
            case "<i8":
                for (var i = 0; i < n; i++) { result[i] = BinaryPrimitives.ReadInt64LittleEndian(d[(i * 8)..]); }
                break;
            case "<i4":
                for (var i = 0; i < n; i++) { result[i] = BinaryPrimitives.ReadInt32LittleEndian(d[(i * 4)..]); }
                break;
        }

        return result;
    }

    /// <summary>The values as doubles (exact for every int64 up to 2^53): the values of an extra model input.</summary>
    public double[] ToDoubles() => Dtype switch
    {
        "<i8" or "<i4" => ToLongs(),
        "<f8" => Enumerable.Range(0, checked((int)Length)).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan(i * 8))).ToArray(),
        _ => ToFloats().Select(v => (double)v).ToArray(),
    };

    /// <summary>The values as class labels; float values must be whole numbers.</summary>
    public int[] ToLabels(string file)
    {
        var values = Dtype is "<f4" or "<f8" ? ToFloats().Select(v => (double)v).ToArray() : ToLongs();
        var labels = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v != Math.Floor(v) || v < 0 || v > int.MaxValue)
            {
                throw Malformed(file, $"label {i} is {v.ToString(CultureInfo.InvariantCulture)}, not a class index");
            }

            labels[i] = (int)v;
        }

        return labels;
    }

    private double[] ToLongs()
    {
        var n = checked((int)Length);
        var d = Data.AsSpan();
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = Dtype switch
            {
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(d[(i * 8)..]),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(d[(i * 4)..]),
                _ => d[i],
            };
        }

        return result;
    }

    private static int? ItemSize(string dtype) => dtype switch
    {
        "<f4" or "<i4" => 4,
        "<f8" or "<i8" => 8,
        "|u1" or "|b1" => 1,
        "<f2" => 2,
        _ => null,
    };

    private static byte[] ReadExactly(Stream stream, int count, string file, string what) =>
        BoundedRead.Exactly(stream, count, out var read)
        ?? throw Malformed(file, $"the file ends inside {what} ({read} of {count} bytes)");

    private static AdaDeepException Malformed(string file, string message) =>
        new(ErrorCodes.DatasetMalformed, message, file);

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
