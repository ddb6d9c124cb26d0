using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>Builds the nodes rewrites emit; names and weights come from the session so they are always fresh.</summary>
internal static class NodeFactory
{
    /// <summary>A conv with the original's geometry (strides, pads or auto_pad, dilations) and a new weight.</summary>
    public static NodeProto ConvLike(RewriteSession s, ConvLayer original, string input, string output, string stem,
        float[] weight, long[] dims, float[]? bias, int group = 1)
    {
        var node = Conv(s, input, output, stem, weight, dims, bias, group);
        foreach (var name in new[] { "strides", "pads", "dilations", "auto_pad" })
        {
            if (original.Node.Attribute.FirstOrDefault(a => a.Name == name) is { } attr)
            {
                node.Attribute.Add(attr.Clone());
            }
        }

        return node;
    }

    /// <summary>A conv with stride 1, no padding (1×1 convs, or any kernel when pads are set by the caller).</summary>
    public static NodeProto Conv(RewriteSession s, string input, string output, string stem, float[] weight, long[] dims,
        float[]? bias, int group = 1)
    {
        var inputs = new List<string> { input, s.AddFloats(stem + "_weight", dims, weight) };
        if (bias is not null)
        {
            inputs.Add(s.AddFloats(stem + "_bias", new long[] { bias.Length }, bias));
        }

        var node = s.NewNode("Conv", stem, inputs, new[] { output });
        node.SetInts("kernel_shape", new[] { dims[2], dims[3] });
        if (group != 1)
        {
            node.SetInt("group", group);
        }

        return node;
    }

    public static NodeProto Unary(RewriteSession s, string opType, string input, string output, string stem) =>
        s.NewNode(opType, stem, new[] { input }, new[] { output });

    /// <summary>x·B with B stored [in, out] (a bias-free fc that works on any rank, at every opset).</summary>
    public static NodeProto MatMul(RewriteSession s, string input, string output, string stem, double[,] weightOutByIn)
    {
        var b = Linalg.Svd.Transpose(weightOutByIn);
        var name = s.AddFloats(stem + "_weight", new long[] { b.GetLength(0), b.GetLength(1) }, Linalg.DenseAlgebra.ToFloats(b));
        return s.NewNode("MatMul", stem, new[] { input, name }, new[] { output });
    }

    /// <summary>The last fc of a factorised layer, of the same kind as the original (Gemm keeps its bias).</summary>
    public static NodeProto FcLike(RewriteSession s, FcLayer original, string input, string output, string stem, double[,] weightOutByIn)
    {
        if (!original.IsGemm)
        {
            return MatMul(s, input, output, stem, weightOutByIn);
        }

        var w = s.AddFloats(stem + "_weight", new long[] { weightOutByIn.GetLength(0), weightOutByIn.GetLength(1) },
            Linalg.DenseAlgebra.ToFloats(weightOutByIn));
        var inputs = new List<string> { input, w };
        var bias = original.Bias;
        if (bias is null && s.Opset < 11)
        {
            bias = new float[weightOutByIn.GetLength(0)]; // C is required before opset 11
        }

        if (bias is not null)
        {
            inputs.Add(s.AddFloats(stem + "_bias", new long[] { bias.Length }, bias));
        }

        var node = s.NewNode("Gemm", stem, inputs, new[] { output });
        node.SetInt("transB", 1);
        return node;
    }
}
