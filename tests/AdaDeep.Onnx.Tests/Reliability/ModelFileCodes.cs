using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Onnx.Tests.Reliability;

/// <summary>The codes a damaged model file may be rejected with (docs/reliability.md); anything else is a bug.</summary>
internal static class ModelFileCodes
{
    public static readonly IReadOnlySet<string> Documented = new HashSet<string>
    {
        ErrorCodes.ModelNotOnnx, ErrorCodes.ModelTruncated, ErrorCodes.ModelEmpty, ErrorCodes.ModelMissingInitializer,
        ErrorCodes.ModelInvalidShape, ErrorCodes.ModelNoGraph, ErrorCodes.ModelExternalData, ErrorCodes.ModelUnsupportedTensor,
    };

    /// <summary>Runs <paramref name="load"/>; it must succeed or throw AdaDeepException with a documented code naming <paramref name="file"/>.</summary>
    public static string? LoadOrDocumentedError(Action load, string file)
    {
        try
        {
            load();
            return null;
        }
        catch (AdaDeepException e)
        {
            Assert.Contains(e.Code, Documented);
            Assert.Equal(file, e.File);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            return e.Code;
        }
    }
}
