using System.Runtime.InteropServices;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Proto;
using Google.Protobuf;

namespace AdaDeep.Onnx.Model;

/// <summary>Reads and writes the values of <see cref="TensorProto"/>s (raw_data is little-endian).</summary>
public static class TensorData
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;
    public const int Int32 = (int)TensorProto.Types.DataType.Int32;
    public const int Int8 = (int)TensorProto.Types.DataType.Int8;
    public const int UInt8 = (int)TensorProto.Types.DataType.Uint8;
    public const int Float16 = (int)TensorProto.Types.DataType.Float16;
    public const int Double = (int)TensorProto.Types.DataType.Double;
    public const int Bool = (int)TensorProto.Types.DataType.Bool;

    /// <summary>
    /// The product of the dimensions; <see cref="long.MaxValue"/> when it overflows, so that a damaged shape such as
    /// [2^32, 2^32] never wraps around to a small count that the stored values happen to match.
    /// </summary>
    public static long ElementCount(TensorProto t)
    {
        long n = 1;
        foreach (var d in t.Dims)
        {
            if (d == 0)
            {
                return 0;
            }

            n = d > 0 && n > 0 && n > long.MaxValue / d ? long.MaxValue : unchecked(n * d);
        }

        return n;
    }

    public static int[] Shape(TensorProto t) => t.Dims.Select(d => checked((int)d)).ToArray();

    /// <summary>Bytes per element, 0 for variable-size types (strings).</summary>
    public static int ElementSize(int dataType) => (TensorProto.Types.DataType)dataType switch
    {
        TensorProto.Types.DataType.Float => 4,
        TensorProto.Types.DataType.Uint8 => 1,
        TensorProto.Types.DataType.Int8 => 1,
        TensorProto.Types.DataType.Uint16 => 2,
        TensorProto.Types.DataType.Int16 => 2,
        TensorProto.Types.DataType.Int32 => 4,
        TensorProto.Types.DataType.Int64 => 8,
        TensorProto.Types.DataType.Bool => 1,
        TensorProto.Types.DataType.Float16 => 2,
        TensorProto.Types.DataType.Double => 8,
        TensorProto.Types.DataType.Uint32 => 4,
        TensorProto.Types.DataType.Uint64 => 8,
        TensorProto.Types.DataType.Bfloat16 => 2,
        _ => 0,
    };

    /// <summary>Bytes the tensor's values take in the file (what ships).</summary>
    public static long StoredBytes(TensorProto t)
    {
        if (t.RawData.Length > 0)
        {
            return t.RawData.Length;
        }

        return t.FloatData.Count * 4L + t.Int32Data.Count * 4L + t.Int64Data.Count * 8L + t.DoubleData.Count * 8L +
               t.Uint64Data.Count * 8L + t.StringData.Sum(s => (long)s.Length);
    }

    public static float[] ToFloats(TensorProto t)
    {
        switch ((TensorProto.Types.DataType)t.DataType)
        {
            case TensorProto.Types.DataType.Float:
                if (t.RawData.Length > 0)
                {
                    return MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
                }

                return t.FloatData.ToArray();
            case TensorProto.Types.DataType.Double:
                return (t.RawData.Length > 0
                    ? MemoryMarshal.Cast<byte, double>(t.RawData.Span).ToArray()
                    : t.DoubleData.ToArray()).Select(d => (float)d).ToArray();
            case TensorProto.Types.DataType.Int64:
                return ToInt64s(t).Select(v => (float)v).ToArray();
            case TensorProto.Types.DataType.Int32:
                return (t.RawData.Length > 0
                    ? MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray()
                    : t.Int32Data.ToArray()).Select(v => (float)v).ToArray();
            case TensorProto.Types.DataType.Int8:
                return t.RawData.Length > 0
                    ? t.RawData.Span.ToArray().Select(b => (float)(sbyte)b).ToArray()
                    : t.Int32Data.Select(v => (float)v).ToArray();
            case TensorProto.Types.DataType.Uint8:
            case TensorProto.Types.DataType.Bool:
                return t.RawData.Length > 0
                    ? t.RawData.Span.ToArray().Select(b => (float)b).ToArray()
                    : t.Int32Data.Select(v => (float)v).ToArray();
            case TensorProto.Types.DataType.Float16:
                // int32_data holds one half per element (its low 16 bits) when raw_data is absent.
                return t.RawData.Length > 0
                    ? MemoryMarshal.Cast<byte, Half>(t.RawData.Span).ToArray().Select(h => (float)h).ToArray()
                    : t.Int32Data.Select(v => (float)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray();
            default:
                throw new AdaDeepException(ErrorCodes.ModelUnsupportedTensor,
                    $"tensor '{t.Name}' has data type {t.DataType}, which AdaDeep cannot read as numbers ({ElementCount(t)} elements)");
        }
    }

    public static long[] ToInt64s(TensorProto t)
    {
        switch ((TensorProto.Types.DataType)t.DataType)
        {
            case TensorProto.Types.DataType.Int64:
                return t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : t.Int64Data.ToArray();
            case TensorProto.Types.DataType.Int32:
                return (t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray() : t.Int32Data.ToArray())
                    .Select(v => (long)v).ToArray();
            default:
                return ToFloats(t).Select(v => (long)v).ToArray();
        }
    }

    public static TensorProto FromFloats(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        var t = new TensorProto { Name = name, DataType = Float };
        t.Dims.AddRange(dims);
        if (ElementCount(t) != values.Length)
        {
            throw new ArgumentException($"tensor '{name}': {values.Length} values do not fill shape [{string.Join(",", dims)}]");
        }

        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        return t;
    }

    /// <summary>A float16 tensor holding <paramref name="values"/> rounded to half precision.</summary>
    public static TensorProto FromHalves(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        var t = new TensorProto { Name = name, DataType = Float16 };
        t.Dims.AddRange(dims);
        if (ElementCount(t) != values.Length)
        {
            throw new ArgumentException($"tensor '{name}': {values.Length} values do not fill shape [{string.Join(",", dims)}]");
        }

        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(halves.AsSpan()));
        return t;
    }

    public static TensorProto FromInt64s(string name, IReadOnlyList<long> dims, ReadOnlySpan<long> values)
    {
        var t = new TensorProto { Name = name, DataType = Int64 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        return t;
    }

    public static TensorProto FromBytes(string name, int dataType, IReadOnlyList<long> dims, ReadOnlySpan<byte> raw)
    {
        var t = new TensorProto { Name = name, DataType = dataType };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(raw);
        return t;
    }

    static TensorData()
    {
        // raw_data is little-endian by the ONNX spec; MemoryMarshal casts assume the host is too.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("AdaDeep needs a little-endian host");
        }

    }
}
