using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Proto;
using Google.Protobuf;

namespace AdaDeep.Onnx.Model;

/// <summary>
/// A file holding one serialized <see cref="TensorProto"/>: the layout of the ONNX test data sets
/// (<c>test_data_set_N/input_0.pb</c>, <c>output_0.pb</c>). Reads check that the values fill the shape.
/// </summary>
public static class TensorFile
{
    public static TensorProto Read(string path)
    {
        var bytes = ProtoFile.ReadAllBytes(path, ErrorCodes.TensorFileNotFound, "tensor file");
        return Parse(bytes, path);
    }

    /// <summary>Parses a serialized TensorProto and checks it is complete and consistent.</summary>
    public static TensorProto Parse(ReadOnlySpan<byte> bytes, string? path = null)
    {
        if (bytes.Length == 0)
        {
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid, "the tensor file is empty", path);
        }

        TensorProto tensor;
        try
        {
            tensor = TensorProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e) when (e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase))
        {
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid, "the tensor file ends in the middle of a message (truncated?)", path, e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid,
                $"the file is not a serialized ONNX TensorProto (protobuf parse failed: {e.Message})", path, e);
        }

        Validate(tensor, path);
        return tensor;
    }

    /// <summary>Writes the tensor atomically (temporary file in the same folder, then a rename).</summary>
    public static void Write(string path, TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Validate(tensor, path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(tmp, tensor.ToByteArray());
            File.Move(tmp, full, overwrite: true);
        }
        catch (IOException e) when (OnnxModel.IsDiskFull(e))
        {
            TryDelete(tmp);
            throw new AdaDeepException(ErrorCodes.DiskFull, $"no space left on device while writing the tensor: {e.Message}", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new AdaDeepException(ErrorCodes.OutputNotWritable, $"cannot write the tensor file: {e.Message}", path, e);
        }
    }

    private static void Validate(TensorProto tensor, string? path)
    {
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (type == TensorProto.Types.DataType.Undefined || !Enum.IsDefined(type))
        {
            // Arbitrary bytes can parse as a message of unknown fields: a real tensor always has a data type.
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid,
                $"the file is not a serialized ONNX TensorProto (data type {tensor.DataType} is not an ONNX type)", path);
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid,
                $"tensor '{tensor.Name}' keeps its values in an external file, which AdaDeep does not read", path);
        }

        if (tensor.Dims.Any(d => d < 0))
        {
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid,
                $"tensor '{tensor.Name}' has a negative dimension in [{string.Join(",", tensor.Dims)}]", path);
        }

        var count = TensorData.ElementCount(tensor);
        var (found, unit) = ValueCount(tensor, type);
        if (found != count)
        {
            throw new AdaDeepException(ErrorCodes.TensorFileInvalid,
                $"tensor '{tensor.Name}' holds {found} {unit} but its shape [{string.Join(",", tensor.Dims)}] of {type} needs {count}", path);
        }
    }

    /// <summary>How many elements the stored data holds, in whichever field the type uses (-1: raw bytes that are not whole elements).</summary>
    internal static (long Found, string Unit) ValueCount(TensorProto t, TensorProto.Types.DataType type)
    {
        if (t.RawData.Length > 0)
        {
            var size = TensorData.ElementSize(t.DataType);
            if (type is TensorProto.Types.DataType.Complex64 or TensorProto.Types.DataType.Complex128)
            {
                size = type == TensorProto.Types.DataType.Complex64 ? 8 : 16;
            }

            return size == 0 || t.RawData.Length % size != 0
                ? (-1, $"raw bytes ({t.RawData.Length}, not a whole number of elements)")
                : (t.RawData.Length / size, "values (raw_data)");
        }

        return type switch
        {
            TensorProto.Types.DataType.Float => (t.FloatData.Count, "values (float_data)"),
            TensorProto.Types.DataType.Complex64 => (t.FloatData.Count / 2, "values (float_data)"),
            TensorProto.Types.DataType.Double => (t.DoubleData.Count, "values (double_data)"),
            TensorProto.Types.DataType.Complex128 => (t.DoubleData.Count / 2, "values (double_data)"),
            TensorProto.Types.DataType.Int64 => (t.Int64Data.Count, "values (int64_data)"),
            TensorProto.Types.DataType.Uint32 or TensorProto.Types.DataType.Uint64 => (t.Uint64Data.Count, "values (uint64_data)"),
            TensorProto.Types.DataType.String => (t.StringData.Count, "values (string_data)"),
            _ => (t.Int32Data.Count, "values (int32_data)"),
        };
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
