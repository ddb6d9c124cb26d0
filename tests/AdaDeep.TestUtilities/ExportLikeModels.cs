using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.TestUtilities;

/// <summary>Tiny models whose weights are computed in the graph, as exporters write them (issue 13.3).</summary>
public static class ExportLikeModels
{
    /// <summary>
    /// x[N,4] → Gemm(fc1: W1 = Reshape(Constant [32]) to [8,4], b1 = ConstantOfShape [8] of 0.1) → Relu →
    /// Gemm(fc2: W2 = Transpose(Cast(Constant [8,3] of doubles)), b2 = ConstantOfShape [3]) = y[N,3]: weights as the
    /// ONNX backend test's real architectures and PyTorch's exporters write them.
    /// </summary>
    public static OnnxModel ComputedWeights()
    {
        var b = new GraphBuilder("computed").Input("x", null, 4).Output("y", null, 3);
        var w1Flat = b.Node("Constant", Array.Empty<string>(), configure: n => SetTensor(n, TensorData.FromFloats("w1flat", new long[] { 32 }, TinyModels.Weights(32, 1))));
        var w1Shape = b.Node("Constant", Array.Empty<string>(), configure: n => SetTensor(n, TensorData.FromInt64s("w1shape", new long[] { 2 }, new long[] { 8, 4 })));
        var w1 = b.Node("Reshape", new[] { w1Flat, w1Shape }, name: "w1_reshape");
        var b1 = b.Node("ConstantOfShape", new[] { b.Int64s("b1shape", new long[] { 8 }) }, configure: n => SetTensor(n, TensorData.FromFloats("v", new long[] { 1 }, new[] { 0.1f })), name: "b1_fill");
        var h = b.Node("Gemm", new[] { "x", w1, b1 }, configure: n => n.SetInt("transB", 1), name: "fc1");
        var r = b.Node("Relu", new[] { h }, name: "relu1");
        var w2Double = b.Node("Constant", Array.Empty<string>(), configure: n => SetTensor(n, Doubles("w2d", new long[] { 3, 8 }, TinyModels.Weights(24, 3))));
        var w2Cast = b.Node("Cast", new[] { w2Double }, configure: n => n.SetInt("to", TensorData.Float), name: "w2_cast");
        var w2 = b.Node("Transpose", new[] { w2Cast }, configure: n => n.SetInts("perm", new long[] { 1, 0 }), name: "w2_transpose");
        var b2 = b.Node("ConstantOfShape", new[] { b.Int64s("b2shape", new long[] { 3 }) }, configure: n => SetTensor(n, TensorData.FromFloats("v", new long[] { 1 }, new[] { -0.2f })), name: "b2_fill");
        b.Node("Gemm", new[] { r, w2, b2 }, output: "y", name: "fc2");
        return b.ToModel();
    }

    public static void SetTensor(NodeProto node, TensorProto value) =>
        node.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value });

    private static TensorProto Doubles(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double };
        t.Dims.AddRange(dims);
        t.DoubleData.AddRange(values.Select(v => (double)v));
        return t;
    }
}
