using System.Security.Cryptography;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Proto;
using Google.Protobuf;

namespace AdaDeep.Onnx.Model;

/// <summary>
/// An ONNX model in memory: the protobuf message plus where it came from.
/// Unknown fields (training info, functions, fields of newer ONNX versions) are kept by Google.Protobuf
/// and written back on save.
/// </summary>
public sealed class OnnxModel
{
    public OnnxModel(ModelProto proto, string? sourcePath = null)
    {
        Proto = proto;
        SourcePath = sourcePath;
    }

    public ModelProto Proto { get; }

    public GraphProto Graph => Proto.Graph;

    public string? SourcePath { get; }

    /// <summary>Opset version of the default (ai.onnx) domain; 0 when absent.</summary>
    public long OpsetVersion =>
        Proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;

    public static OnnxModel Load(string path)
    {
        var bytes = ProtoFile.ReadAllBytes(path, ErrorCodes.ModelNotFound, "model file");
        return Parse(bytes, path);
    }

    /// <summary>Parses ONNX bytes and checks that they describe a usable model.</summary>
    public static OnnxModel Parse(ReadOnlySpan<byte> bytes, string? path = null)
    {
        if (bytes.Length == 0)
        {
            throw new AdaDeepException(ErrorCodes.ModelEmpty, "the model file is empty", path);
        }

        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e) when (e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase))
        {
            throw new AdaDeepException(ErrorCodes.ModelTruncated,
                "the model file ends in the middle of a message (truncated download or copy?)", path, e);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AdaDeepException(ErrorCodes.ModelNotOnnx,
                $"the file is not an ONNX model (protobuf parse failed: {e.Message})", path, e);
        }

        // Arbitrary bytes can parse as a protobuf message made only of unknown fields: require the
        // fields every ONNX model has.
        if (proto.IrVersion <= 0 || proto.OpsetImport.Count == 0)
        {
            throw new AdaDeepException(ErrorCodes.ModelNotOnnx,
                "the file is not an ONNX model (no IR version or opset import)", path);
        }

        if (proto.Graph is null)
        {
            throw new AdaDeepException(ErrorCodes.ModelNoGraph, "the ONNX model has no graph", path);
        }

        var model = new OnnxModel(proto, path);
        GraphValidator.Validate(model);
        return model;
    }

    public byte[] ToBytes() => Proto.ToByteArray();

    /// <summary>The bytes <see cref="ToBytes"/> would write, without writing them (no copy of a large model).</summary>
    public long ByteSize => Proto.CalculateSize();

    /// <summary>Writes the model atomically: a temporary file in the same folder, then a rename.</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(tmp, ToBytes());
            File.Move(tmp, full, overwrite: true);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            TryDelete(tmp);
            throw new AdaDeepException(ErrorCodes.DiskFull, $"no space left on device while writing the model: {e.Message}", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new AdaDeepException(ErrorCodes.OutputNotWritable, $"cannot write the model: {e.Message}", path, e);
        }
    }

    /// <summary>A deep copy; rewrites work on clones so the original stays intact.</summary>
    public OnnxModel Clone() => new(Proto.Clone(), SourcePath);

    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(ToBytes()));

    public static string Sha256OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>True when an I/O error means the volume is full (ENOSPC on Unix, ERROR_DISK_FULL on Windows).</summary>
    // ENOSPC, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL, and .NET's own preallocation failure ("Failed to create '…'
    // with allocation size 'N' because the disk was full"), which carries neither errno nor a Win32 code on Linux.
    public static bool IsDiskFull(IOException e) =>
        e.HResult == 28 || e.HResult == unchecked((int)0x80070070) || e.HResult == unchecked((int)0x80070027) ||
        e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) ||
        e.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
