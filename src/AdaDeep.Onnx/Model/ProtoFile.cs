using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Onnx.Model;

/// <summary>Reads the bytes of a protobuf file (a model, a tensor) with the errors a user can act on.</summary>
internal static class ProtoFile
{
    /// <summary>
    /// The file's bytes; a missing file, or one that cannot be read (I/O error, no permission), is
    /// <paramref name="notFoundCode"/> naming <paramref name="what"/> ("model file", "tensor file") and the path.
    /// </summary>
    public static byte[] ReadAllBytes(string path, string notFoundCode, string what)
    {
        if (!File.Exists(path))
        {
            throw new AdaDeepException(notFoundCode, $"{what} '{path}' does not exist", path);
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdaDeepException(notFoundCode, $"cannot read {what}: {e.Message}", path, e);
        }
    }
}
