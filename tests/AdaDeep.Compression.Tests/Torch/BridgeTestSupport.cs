using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Tests.Torch;

/// <summary>Runs a model through the bridge and through ONNX Runtime and compares.</summary>
internal static class BridgeTestSupport
{
    public static float[] RunBridge(TorchGraphModule module, float[] input, int[] shape)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(input, shape.Select(d => (long)d).ToArray());
        var y = module.forward(x);
        return y.contiguous().data<float>().ToArray();
    }

    public static (float[] Bridge, float[] Ort) Both(OnnxModel model, float[] input, int[] shape)
    {
        using var module = TorchGraphModule.FromOnnx(model);
        return (RunBridge(module, input, shape), OrtRunner.Run(model, input, shape));
    }

    /// <summary>
    /// Equal within <paramref name="tolerance"/>, relative to the output's scale when that exceeds 1: float32 sums
    /// in another order differ by about 1e-7 of their magnitude (mnist-8's logits on raw 0–255 pixels reach the
    /// thousands), so an absolute 1e-4 is only meaningful for outputs of order one.
    /// </summary>
    public static void AssertClose(float[] expected, float[] actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(1.0, expected.Max(v => Math.Abs(v)));
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance * scale, $"largest difference {worst} exceeds {tolerance} x output scale {scale}");
    }

    /// <summary>A graph output of unknown shape (the bridge and ORT infer it).</summary>
    public static void Output(GraphBuilder b, string name) =>
        b.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float } } });

    public static float[] Random(int count, int seed, float scale = 1f) => TinyModels.Weights(count, seed, scale);
}
