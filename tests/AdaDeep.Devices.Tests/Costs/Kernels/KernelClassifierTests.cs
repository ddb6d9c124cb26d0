using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Devices.Tests.Costs.Kernels;

public class KernelClassifierTests
{
    private static IReadOnlyList<KernelWork?> Classify(OnnxModel model) => KernelClassifier.Classify(ModelAnalyzer.Analyze(model).Layers);

    private static string[] Kinds(OnnxModel model) => Classify(model).OfType<KernelWork>().Select(k => k.Kind).ToArray();

    private static float[] Values(long count) => Enumerable.Range(0, (int)count).Select(i => (i % 7 - 3) * 0.01f).ToArray();

    private static OnnxModel ConvAddRelu(int cin, int cout, int k, int group)
    {
        var b = new GraphBuilder("c").Input("x", 1, cin, 8, 8).Output("y", 1, cout, 8 - k + 1, 8 - k + 1);
        var y = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { cout, cin / group, k, k }, Values(cout * cin / group * k * k)) },
            configure: n => n.SetInts("kernel_shape", new long[] { k, k }).SetInt("group", group));
        y = b.Node("Add", new[] { y, b.Weight("bias", new long[] { cout, 1, 1 }, Values(cout)) });
        b.Node("Relu", new[] { y }, output: "y");
        return b.ToModel();
    }

    private static OnnxModel DequantizedMatMul(long[] biasDims, bool quantizedActivation)
    {
        var b = new GraphBuilder("q").Input("x", 1, 16).Output("y", 1, 4);
        b.Graph.Initializer.Add(TensorData.FromBytes("q", TensorData.Int8, new long[] { 16, 4 }, new byte[64]));
        b.Graph.Initializer.Add(TensorData.FromBytes("z", TensorData.Int8, Array.Empty<long>(), new byte[1]));
        var scale = b.Weight("s", Array.Empty<long>(), new[] { 0.1f });
        var w = b.Node("DequantizeLinear", new[] { "q", scale, "z" });
        var x = "x";
        if (quantizedActivation)
        {
            b.Graph.Initializer.Add(TensorData.FromBytes("az", TensorData.UInt8, Array.Empty<long>(), new byte[1]));
            x = b.Node("QuantizeLinear", new[] { x, scale, "az" });
            x = b.Node("DequantizeLinear", new[] { x, scale, "az" });
        }

        var y = b.Node("MatMul", new[] { x, w });
        b.Node("Add", new[] { y, b.Weight("bias", biasDims, Values(4)) }, output: "y");
        return b.ToModel();
    }

    [Fact]
    public void Bias_add_and_relu_after_a_conv_run_inside_it()
    {
        var kernels = Classify(ConvAddRelu(4, 8, 3, 1));

        Assert.Equal(KernelClassifier.Conv, kernels[0]!.Value.Kind);
        Assert.Null(kernels[1]);
        Assert.Null(kernels[2]);
    }

    [Theory]
    [InlineData(1, "Conv")]
    [InlineData(4, "Conv.depthwise")]
    [InlineData(2, "Conv.grouped")]
    public void Conv_kinds_follow_the_groups(int group, string kind) =>
        Assert.Equal(kind, Kinds(ConvAddRelu(4, 8, 3, group))[0]);

    [Fact]
    public void A_one_by_one_conv_needs_no_im2col_and_a_three_by_three_does()
    {
        Assert.Equal(0, Classify(ConvAddRelu(4, 8, 1, 1))[0]!.Value.LoweredElements);
        Assert.Equal(4 * 9 * 6 * 6, Classify(ConvAddRelu(4, 8, 3, 1))[0]!.Value.LoweredElements);
    }

    [Fact]
    public void MatMul_and_bias_add_become_one_gemm_and_views_run_nothing()
    {
        var b = new GraphBuilder("fc").Input("x", 1, 2, 4).Output("y", 1, 3);
        var flat = b.Node("Flatten", new[] { "x" });
        var y = b.Node("MatMul", new[] { flat, b.Weight("w", new long[] { 8, 3 }, Values(24)) });
        b.Node("Add", new[] { y, b.Weight("bias", new long[] { 3 }, Values(3)) }, output: "y");

        var kernels = Classify(b.ToModel());

        Assert.Null(kernels[0]);
        Assert.Equal(KernelClassifier.Gemm, kernels[1]!.Value.Kind);
        Assert.Null(kernels[2]);
    }

    [Fact]
    public void A_dequantized_weight_with_a_1d_bias_fuses_into_MatMulNBits()
    {
        var kernels = Classify(DequantizedMatMul(new long[] { 4 }, quantizedActivation: false));

        Assert.Null(kernels[0]); // the DequantizeLinear runs inside MatMulNBits
        Assert.Equal(new[] { KernelClassifier.MatMulNBits }, kernels.OfType<KernelWork>().Select(k => k.Kind));
        Assert.Equal(64, kernels.OfType<KernelWork>().Single().WeightBytes); // int8 weights as stored
    }

    [Fact]
    public void A_2d_bias_keeps_the_dequantize_running_before_a_gemm_with_a_computed_weight()
    {
        var kinds = Kinds(DequantizedMatMul(new long[] { 1, 4 }, quantizedActivation: false));

        Assert.Equal(new[] { KernelClassifier.DequantizeLinear, "Gemm" + KernelClassifier.DynamicWeight }, kinds);
    }

    [Fact]
    public void A_quantized_activation_keeps_every_qdq_node_running()
    {
        var kinds = Kinds(DequantizedMatMul(new long[] { 4 }, quantizedActivation: true));

        Assert.Equal(new[] { "DequantizeLinear", "QuantizeLinear", "DequantizeLinear", "Gemm.dq" }, kinds);
    }

    [Fact]
    public void Per_channel_dequantize_kinds_follow_the_axis_of_the_scales()
    {
        var outer = KernelMicroModels.Quantization().First(m => m.Name == "dq-weight gemm 800->500 per-channel");
        var inner = KernelMicroModels.Quantization().First(m => m.Name == "qdq+dq-weight matmul 256->10 per-channel");

        Assert.Contains("DequantizeLinear.outer", KernelCalibrator.Kernels(outer).Select(k => k.Kind));
        Assert.Contains("DequantizeLinear.inner", KernelCalibrator.Kernels(inner).Select(k => k.Kind));
    }
    /// <summary>A 3×3 conv 4→6 on 8×8 with a bias; its weight either float or int8 decoded by Cast · per-channel scale (Q8W's form).</summary>
    private static OnnxModel ConvWithWeight(bool int8)
    {
        var b = new GraphBuilder("w").Input("x", 1, 4, 8, 8).Output("y", 1, 6, 6, 6);
        string w;
        if (int8)
        {
            b.Graph.Initializer.Add(TensorData.FromBytes("wq", TensorData.Int8, new long[] { 6, 4, 3, 3 }, Enumerable.Range(0, 216).Select(i => (byte)(i % 5)).ToArray()));
            var cast = b.Node("Cast", new[] { "wq" }, configure: n => n.SetInt("to", TensorData.Float));
            w = b.Node("Mul", new[] { cast, b.Weight("ws", new long[] { 6, 1, 1, 1 }, Values(6)) });
        }
        else
        {
            w = b.Weight("w", new long[] { 6, 4, 3, 3 }, Values(216));
        }

        b.Node("Conv", new[] { "x", w, b.Weight("b", new long[] { 6 }, Values(6)) }, output: "y",
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }));
        return b.ToModel();
    }

    [Fact]
    public void Int8WeightsDecodedByCastAndScale_RunAsTheFloatKernel()
    {
        // ORT folds Cast·scale into an fp32 initializer when it creates the session: the conv reads float weights.
        var float32 = Classify(ConvWithWeight(int8: false)).OfType<KernelWork>().Single();
        var int8 = Classify(ConvWithWeight(int8: true)).OfType<KernelWork>().Single();

        Assert.Equal(float32, int8);
        Assert.Equal(4.0 * (216 + 6), int8.WeightBytes);
    }
}
