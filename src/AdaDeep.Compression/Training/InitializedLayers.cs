using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Training;

/// <summary>
/// The layers the MNIST benchmark networks (<see cref="LeNet5"/>, <see cref="DeepCompressionNets"/>) are built from,
/// with PyTorch's default initialisation U(−1/√fan_in, 1/√fan_in) drawn from the caller's seeded generator.
/// </summary>
internal static class InitializedLayers
{
    /// <summary>A 5×5 conv with bias; <paramref name="pad"/> null writes no pads attribute (ONNX's default 0).</summary>
    public static string Conv5x5(GraphBuilder b, Random rng, string input, string name, int outChannels, int inChannels, int? pad = null)
    {
        var fanIn = inChannels * 25;
        var w = b.Weight($"{name}.weight", new long[] { outChannels, inChannels, 5, 5 }, Uniform(rng, outChannels * fanIn, fanIn));
        var bias = b.Weight($"{name}.bias", new long[] { outChannels }, Uniform(rng, outChannels, fanIn));
        return b.Node("Conv", new[] { input, w, bias }, name: name, configure: n =>
        {
            n.SetInts("kernel_shape", new long[] { 5, 5 });
            if (pad is { } p)
            {
                n.SetInts("pads", new long[] { p, p, p, p });
            }
        });
    }

    public static string MaxPool2x2(GraphBuilder b, string input, string name) =>
        b.Node("MaxPool", new[] { input }, name: name, configure: n => n
            .SetInts("kernel_shape", new long[] { 2, 2 })
            .SetInts("strides", new long[] { 2, 2 }));

    /// <summary>A fully connected layer as Gemm with transB = 1 (weight [out, in], as PyTorch stores it).</summary>
    public static string Dense(GraphBuilder b, Random rng, string input, string name, int inFeatures, int outFeatures, string? output = null)
    {
        var w = b.Weight($"{name}.weight", new long[] { outFeatures, inFeatures }, Uniform(rng, outFeatures * inFeatures, inFeatures));
        var bias = b.Weight($"{name}.bias", new long[] { outFeatures }, Uniform(rng, outFeatures, inFeatures));
        return b.Node("Gemm", new[] { input, w, bias }, output: output, name: name, configure: n => n.SetInt("transB", 1));
    }

    private static float[] Uniform(Random rng, int count, int fanIn)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        }

        return values;
    }
}
