using AdaDeep.Onnx.Model;

namespace AdaDeep.TestUtilities;

/// <summary>Tiny ONNX models built in code, with deterministic weights, for tests of every project.</summary>
public static class TinyModels
{
    /// <summary>Deterministic pseudo-random weights in [-scale, scale].</summary>
    public static float[] Weights(int count, int seed, float scale = 0.5f)
    {
        var rng = new Random(seed);
        var w = new float[count];
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }

        return w;
    }

    /// <summary>x[N,4] → Gemm(4→8) → Relu → Gemm(8→3) = y[N,3]. 4·8+8 + 8·3+3 = 67 parameters, 56 MACs per sample.</summary>
    public static OnnxModel Mlp()
    {
        var b = new GraphBuilder("mlp").Input("x", null, 4).Output("y", null, 3);
        var w1 = b.Weight("fc1.weight", new long[] { 8, 4 }, Weights(32, 1));
        var b1 = b.Weight("fc1.bias", new long[] { 8 }, Weights(8, 2));
        var w2 = b.Weight("fc2.weight", new long[] { 3, 8 }, Weights(24, 3));
        var b2 = b.Weight("fc2.bias", new long[] { 3 }, Weights(3, 4));
        var h = b.Node("Gemm", new[] { "x", w1, b1 }, configure: n => n.SetInt("transB", 1), name: "fc1");
        var r = b.Node("Relu", new[] { h }, name: "relu1");
        b.Node("Gemm", new[] { r, w2, b2 }, output: "y", configure: n => n.SetInt("transB", 1), name: "fc2");
        return b.ToModel();
    }

    /// <summary>
    /// A LeNet-like CNN: x[1,1,12,12] → Conv(1→4, 3×3, pad 1) → Relu → MaxPool 2 → Conv(4→8, 3×3, pad 1) → Relu
    /// → MaxPool 2 → Flatten → Gemm(72→16) → Relu → Gemm(16→10) = y[1,10].
    /// MACs: conv1 4·1·9·144 = 5,184; conv2 8·4·9·36 = 10,368; fc1 72·16 = 1,152; fc2 160. Total 16,864.
    /// Parameters: conv1 36+4, conv2 288+8, fc1 1,152+16, fc2 160+10 = 1,674.
    /// </summary>
    public static OnnxModel LeNetLike(int batch = 1)
    {
        var b = new GraphBuilder("lenet").Input("x", batch, 1, 12, 12).Output("y", batch, 10);
        var c1 = b.Node("Conv", new[] { "x", b.Weight("conv1.weight", new long[] { 4, 1, 3, 3 }, Weights(36, 11)), b.Weight("conv1.bias", new long[] { 4 }, Weights(4, 12)) },
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv1");
        var r1 = b.Node("Relu", new[] { c1 }, name: "relu1");
        var p1 = b.Node("MaxPool", new[] { r1 }, configure: n => n.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }), name: "pool1");
        var c2 = b.Node("Conv", new[] { p1, b.Weight("conv2.weight", new long[] { 8, 4, 3, 3 }, Weights(288, 13, 0.3f)), b.Weight("conv2.bias", new long[] { 8 }, Weights(8, 14)) },
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv2");
        var r2 = b.Node("Relu", new[] { c2 }, name: "relu2");
        var p2 = b.Node("MaxPool", new[] { r2 }, configure: n => n.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }), name: "pool2");
        var f = b.Node("Flatten", new[] { p2 }, configure: n => n.SetInt("axis", 1), name: "flatten");
        var h = b.Node("Gemm", new[] { f, b.Weight("fc1.weight", new long[] { 16, 72 }, Weights(1152, 15, 0.2f)), b.Weight("fc1.bias", new long[] { 16 }, Weights(16, 16)) },
            configure: n => n.SetInt("transB", 1), name: "fc1");
        var r3 = b.Node("Relu", new[] { h }, name: "relu3");
        b.Node("Gemm", new[] { r3, b.Weight("fc2.weight", new long[] { 10, 16 }, Weights(160, 17)), b.Weight("fc2.bias", new long[] { 10 }, Weights(10, 18)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc2");
        return b.ToModel();
    }
}
