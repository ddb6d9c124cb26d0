using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// The model `adadeep compress` uses when none is given: the ONNX model zoo's MNIST CNN (mnist-8, MIT licence,
/// models/mnist-8 in the repository), embedded in the engine so the main job runs anywhere.
/// </summary>
public static class DefaultModel
{
    public const string ResourceName = "AdaDeep.Engine.DefaultModel.mnist-8.onnx";

    public const string DisplayName = "mnist-8 (embedded default)";

    public static byte[] Bytes()
    {
        using var stream = typeof(DefaultModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the engine assembly lacks its embedded resource {ResourceName}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static OnnxModel Load() => OnnxModel.Parse(Bytes(), DisplayName);
}
