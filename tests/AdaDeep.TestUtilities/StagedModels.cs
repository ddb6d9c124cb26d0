using AdaDeep.Onnx.Model;

namespace AdaDeep.TestUtilities;

/// <summary>Nets deep enough that the search decides them by stage (more than 12 layers). Deterministic weights.</summary>
public static class StagedModels
{
    /// <summary>
    /// 14 convs and an fc: x [1,1,8,8] → c0 (1→8) and c1…c6 (8→8) at 8×8, each 3×3 + Relu; c7 (8→16, stride 2) and
    /// c8…c13 (16→16) at 4×4, where c9's output is added to c8's (a residual add: c8 and c9 share their channels)
    /// → GlobalAveragePool → Flatten → fc (16→3) = y [1,3].
    /// </summary>
    public static OnnxModel FifteenLayers()
    {
        var b = new GraphBuilder("staged").Input("x", 1, 1, 8, 8).Output("y", 1, 3);
        var h = "x";
        var channels = 1;
        var c8 = "";
        for (var i = 0; i < 14; i++)
        {
            var cout = i < 7 ? 8 : 16;
            var conv = Conv(b, $"c{i}", h, channels, cout, stride: i == 7 ? 2 : 1, seed: 100 + i);
            if (i == 9)
            {
                // c9 reads c8's activation and adds c8's conv output back: both write one residual stream.
                conv = b.Node("Add", new[] { conv, c8 }, name: "residual");
            }

            h = b.Node("Relu", new[] { conv }, name: $"r{i}");
            if (i == 8)
            {
                c8 = conv;
            }

            channels = cout;
        }

        var flat = b.Node("Flatten", new[] { b.Node("GlobalAveragePool", new[] { h }, name: "gap") }, name: "flatten");
        b.Node("Gemm", new[] { flat, b.Weight("fc.weight", new long[] { 3, 16 }, TinyModels.Weights(48, 90, 0.5f)), b.Weight("fc.bias", new long[] { 3 }, TinyModels.Weights(3, 91)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    private static string Conv(GraphBuilder b, string name, string input, int cin, int cout, int stride, int seed)
    {
        var w = b.Weight(name + ".weight", new long[] { cout, cin, 3, 3 }, TinyModels.Weights(cout * cin * 9, seed, 0.3f));
        var bias = b.Weight(name + ".bias", new long[] { cout }, TinyModels.Weights(cout, seed + 1000, 0.1f));
        return b.Node("Conv", new[] { input, w, bias }, name: name, configure: n => n
            .SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }).SetInts("strides", new long[] { stride, stride }));
    }
}
