using AdaDeep.Onnx.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.TestUtilities;

/// <summary>Runs a model in ONNX Runtime on one float input; tests use it to check that rewrites still run.</summary>
public static class OrtRunner
{
    public static float[] Run(OnnxModel model, float[] input, int[] inputShape)
    {
        using var session = new InferenceSession(model.ToBytes());
        var inputName = session.InputMetadata.Keys.First();
        var tensor = new DenseTensor<float>(input, inputShape);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, tensor) });
        return results.First().AsEnumerable<float>().ToArray();
    }

    public static int[] OutputShape(OnnxModel model, float[] input, int[] inputShape)
    {
        using var session = new InferenceSession(model.ToBytes());
        var inputName = session.InputMetadata.Keys.First();
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(input, inputShape)) });
        return results.First().AsTensor<float>().Dimensions.ToArray();
    }
}
