using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Analysis;

public class ModelAnalyzerTests
{
    private static LayerInfo Layer(ModelAnalysis a, string name) => a.Layers.Single(l => l.NodeName == name);

    [Fact]
    public void LeNetTotalsMatchTheHandComputedValues()
    {
        var model = TinyModels.LeNetLike();
        var a = ModelAnalyzer.Analyze(model);
        Assert.Equal(16_864, a.TotalMacs);
        Assert.Equal(1_674, a.TotalParameters);
        Assert.Equal(1_674 * 4, a.TotalParameterBytes);
        Assert.Equal(5_184, Layer(a, "conv1").Macs);
        Assert.Equal(10_368, Layer(a, "conv2").Macs);
        Assert.Equal(1_152, Layer(a, "fc1").Macs);
        Assert.Equal(160, Layer(a, "fc2").Macs);
        Assert.Equal(40, Layer(a, "conv1").Parameters);
        Assert.Equal(1_168, Layer(a, "fc1").Parameters);
        // Outputs: conv1 4·144, relu1 576, pool1 4·36, conv2 8·36, relu2 288, pool2 8·9, flatten 72, fc1 16, relu3 16, y 10.
        Assert.Equal(576 + 576 + 144 + 288 + 288 + 72 + 72 + 16 + 16 + 10, a.TotalActivations);
        Assert.Equal(model.ToBytes().Length, a.FileBytes);
    }

    [Fact]
    public void LeNetKindsShapesAndPositions()
    {
        var a = ModelAnalyzer.Analyze(TinyModels.LeNetLike());
        Assert.Equal(
            new[] { LayerKind.Conv, LayerKind.Activation, LayerKind.Pool, LayerKind.Conv, LayerKind.Activation, LayerKind.Pool,
                    LayerKind.Shape, LayerKind.FullyConnected, LayerKind.Activation, LayerKind.FullyConnected },
            a.Layers.Select(l => l.Kind));
        Assert.Equal(Enumerable.Range(0, 10), a.Layers.Select(l => l.Position));
        var conv2 = Layer(a, "conv2");
        Assert.Equal(new long[] { 1, 4, 6, 6 }, conv2.InputShapes[0]);
        Assert.Equal(new long[] { 8, 4, 3, 3 }, conv2.InputShapes[1]);
        Assert.Equal(new long[] { 1, 8, 6, 6 }, conv2.OutputShapes[0]);
        Assert.All(a.Layers.Where(l => l.Kind is not (LayerKind.Conv or LayerKind.FullyConnected)), l => Assert.Equal(0, l.Macs));
    }

    [Fact]
    public void BatchSizeScalesMacsAndActivationsButNotParameters()
    {
        var one = ModelAnalyzer.Analyze(TinyModels.Mlp(), 1);
        var three = ModelAnalyzer.Analyze(TinyModels.Mlp(), 3);
        Assert.Equal(56, one.TotalMacs);
        Assert.Equal(67, one.TotalParameters);
        Assert.Equal(3 * 56, three.TotalMacs);
        Assert.Equal(67, three.TotalParameters);
        Assert.Equal(3 * one.TotalActivations, three.TotalActivations);
    }

    [Fact]
    public void Mnist8TotalsMatchItsShapes()
    {
        var a = ModelAnalyzer.Analyze(OnnxModel.Load(RepoPaths.Model("mnist-8")));
        // Convolution28: 1×1×28×28 → 8×28×28 (5×5, SAME_UPPER): 8·28·28·1·25 = 156,800 MACs, 8·1·5·5 = 200 weights.
        // Convolution110: 8×14×14 → 16×14×14 (5×5, SAME_UPPER): 16·14·14·8·25 = 627,200 MACs, 16·8·5·5 = 3,200 weights.
        // Times212: [1,256] × [256,10] = 2,560 MACs; its weight is Parameter193 [16,4,4,10] reshaped at run time
        // (a decoding chain), so the 2,560 weights count on the MatMul and the Reshape of the weight gets 0.
        // Bias Adds: 8 + 16 + 10. Reshape target shapes (2 + 2 int64s) are not parameters.
        Assert.Equal(156_800 + 627_200 + 2_560, a.TotalMacs);   // 786,560
        Assert.Equal(200 + 8 + 3_200 + 16 + 2_560 + 10, a.TotalParameters); // 5,994
        Assert.Equal(156_800, Layer(a, "Convolution28").Macs);
        Assert.Equal(new long[] { 1, 16, 4, 4 }, Layer(a, "Pooling160").OutputShapes[0]); // 14 → floor((14 − 3)/3) + 1 = 4
        var matmul = Layer(a, "Times212");
        Assert.Equal(LayerKind.FullyConnected, matmul.Kind);
        Assert.Equal(2_560, matmul.Parameters);
        Assert.Equal(2_560 * 4 + 2 * 8, matmul.ParameterBytes); // float weights + the int64 shape of the weight's Reshape
        var weightReshape = Layer(a, "Times212_reshape1");
        Assert.Equal(0, weightReshape.Parameters);
        Assert.Equal(0, weightReshape.Activations);
        Assert.Equal(8, Layer(a, "Plus30").Parameters);
    }

    [Fact]
    public void Cifar10CnnTotalsMatchItsShapes()
    {
        var a = ModelAnalyzer.Analyze(OnnxModel.Load(RepoPaths.Model("cifar10-cnn")));
        // 3×32×32 → Conv 12 (5×5, pad 1) → 30×30: 12·900·3·25 = 810,000; → Conv 12 → 28×28: 12·784·12·25 = 2,822,400;
        // MaxPool 2 → 14×14; Conv 24 → 12×12: 24·144·12·25 = 1,036,800; Conv 24 → 10×10: 24·100·24·25 = 1,440,000;
        // Gemm 2400 → 10: 24,000.
        Assert.Equal(810_000 + 2_822_400 + 1_036_800 + 1_440_000 + 24_000, a.TotalMacs); // 6,133,200
        // (900 + 12) + (3,600 + 12) + (7,200 + 24) + (14,400 + 24) + (24,000 + 10)
        Assert.Equal(912 + 3_612 + 7_224 + 14_424 + 24_010, a.TotalParameters); // 50,182
        Assert.Equal(50_182 * 4, a.TotalParameterBytes);
        Assert.Equal(0, Layer(a, "Constant_9").Parameters);
        Assert.Equal(new long[] { 1, 2400 }, Layer(a, "Reshape_10").OutputShapes[0]);
    }

    [Fact]
    public void IrisMlpTotalsMatchItsShapes()
    {
        var a = ModelAnalyzer.Analyze(OnnxModel.Load(RepoPaths.Model("iris-mlp")), batchSize: 2);
        // 4 → 24 → 24 → 3: weights 96 + 576 + 72 = 744 per sample, parameters 120 + 600 + 75.
        Assert.Equal(2 * 744, a.TotalMacs);
        Assert.Equal(795, a.TotalParameters);
        Assert.All(a.Layers.Where(l => l.OpType == "Gemm"), l => Assert.Equal(LayerKind.FullyConnected, l.Kind));
    }

    [Fact]
    public void DequantizedConvWeightCountsOnceOnTheConv()
    {
        var model = QuantizedConvModel();
        var a = ModelAnalyzer.Analyze(model);
        var conv = Layer(a, "qconv");
        var dq = Layer(a, "dq");
        Assert.Equal(LayerKind.Conv, conv.Kind);
        Assert.Equal(36 + 4 + 4 + 4, conv.Parameters);           // int8 weights, scales, zero points, bias
        Assert.Equal(36 + 4 * 4 + 4 + 4 * 4, conv.ParameterBytes); // what ships: 1 byte per weight
        Assert.Equal(0, dq.Parameters);
        Assert.Equal(0, dq.ParameterBytes);
        Assert.Equal(0, dq.Activations);
        Assert.Equal(4 * 100 * 9, conv.Macs);
        Assert.Equal(a.TotalParameters, conv.Parameters);

        // And the model is real: ONNX Runtime runs it.
        var y = OrtRunner.Run(model, TinyModels.Weights(100, 3), new[] { 1, 1, 10, 10 });
        Assert.Equal(400, y.Length);
    }

    [Fact]
    public void SparseScatterNDWeightCountsItsValuesAndShipsItsIndices()
    {
        // W[4,8] rebuilt at run time: ScatterND(zeros[32], indices[5,1], values[5]) → Reshape to [8,4] → Transpose → MatMul.
        var b = new GraphBuilder("sparse").Input("x", 1, 8).Output("y", 1, 4);
        var zeros = b.Node("ConstantOfShape", new[] { b.Int64s("dense_shape", new long[] { 32 }) }, name: "zeros", configure: n =>
            n.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = TensorData.FromFloats("", new long[] { 1 }, new[] { 0f }) }));
        b.Graph.Initializer.Add(TensorData.FromInt64s("nz_idx", new long[] { 5, 1 }, new long[] { 0, 3, 9, 17, 31 }));
        var values = b.Weight("nz_val", new long[] { 5 }, new[] { 1f, -2f, 3f, 0.5f, 4f });
        var dense = b.Node("ScatterND", new[] { zeros, "nz_idx", values }, name: "scatter");
        var shaped = b.Node("Reshape", new[] { dense, b.Int64s("w_shape", new long[] { 8, 4 }) }, name: "w_reshape");
        b.Node("MatMul", new[] { "x", shaped }, output: "y", name: "fc");
        var model = b.ToModel();

        var a = ModelAnalyzer.Analyze(model);
        var fc = Layer(a, "fc");
        Assert.Equal(LayerKind.FullyConnected, fc.Kind);
        Assert.Equal(5, fc.Parameters);
        Assert.Equal(5 * 4 + 5 * 8 + 8 + 2 * 8, fc.ParameterBytes); // values, indices, dense shape, reshape target
        Assert.Equal(32, fc.Macs);
        Assert.All(new[] { "zeros", "scatter", "w_reshape" }, n => Assert.Equal(0, Layer(a, n).Parameters));
        Assert.Equal(5, a.TotalParameters);
        Assert.Equal(4, OrtRunner.Run(model, TinyModels.Weights(8, 1), new[] { 1, 8 }).Length);
    }

    [Fact]
    public void SharedWeightsCountOnce()
    {
        var b = new GraphBuilder("shared").Input("x", 2, 4).Output("y", 2, 4);
        var w = b.Weight("w", new long[] { 4, 4 }, TinyModels.Weights(16, 1));
        var h = b.Node("MatMul", new[] { "x", w }, name: "first");
        b.Node("MatMul", new[] { h, w }, output: "y", name: "second");
        var a = ModelAnalyzer.Analyze(b.ToModel());
        Assert.Equal(16, a.TotalParameters);
        Assert.Equal(16, Layer(a, "first").Parameters);
        Assert.Equal(0, Layer(a, "second").Parameters);
        Assert.Equal(LayerKind.FullyConnected, Layer(a, "second").Kind);
        Assert.Equal(2 * 2 * 16, a.TotalMacs);
    }

    [Fact]
    public void MatMulOfTwoActivationsIsNotFullyConnectedButCountsItsWork()
    {
        var b = new GraphBuilder("attn").Input("q", 2, 3, 5).Input("k", 2, 5, 7).Output("y", 2, 3, 7);
        b.Node("MatMul", new[] { "q", "k" }, output: "y", name: "scores");
        var layer = ModelAnalyzer.Analyze(b.ToModel()).Layers.Single();
        Assert.Equal(LayerKind.Other, layer.Kind);
        Assert.Equal(2 * 3 * 7 * 5, layer.Macs);
        Assert.Equal(0, layer.Parameters);
    }

    [Fact]
    public void SubgraphNodesFollowTheirParentAndReadOuterWeights()
    {
        var a = ModelAnalyzer.Analyze(SubgraphModels.IfModel());
        Assert.Equal(new[] { "ReduceSum", "Greater", "If", "Add", "Neg" }, a.Layers.Select(l => l.OpType));
        Assert.Equal(4, Layer(a, "then_add").Parameters); // c lives in the outer graph
        Assert.Equal(new long[] { 1, 4 }, Layer(a, "then_add").OutputShapes[0]);
        Assert.Equal(new long[] { 1, 4 }, Layer(a, "branch").OutputShapes[0]);
        Assert.Equal(5, a.TotalParameters); // c and the scalar zero
    }

    /// <summary>x[1,1,10,10] → Conv(DequantizeLinear(int8 W[4,1,3,3], scale[4], zp[4]), bias[4], pad 1) = y[1,4,10,10].</summary>
    private static OnnxModel QuantizedConvModel()
    {
        var b = new GraphBuilder("qconv").Input("x", 1, 1, 10, 10).Output("y", 1, 4, 10, 10);
        var raw = TinyModels.Weights(36, 7).Select(v => (byte)(sbyte)Math.Round(v * 200)).ToArray();
        b.Graph.Initializer.Add(TensorData.FromBytes("w_q", TensorData.Int8, new long[] { 4, 1, 3, 3 }, raw));
        b.Weight("w_scale", new long[] { 4 }, new[] { 0.01f, 0.02f, 0.01f, 0.005f });
        b.Graph.Initializer.Add(TensorData.FromBytes("w_zp", TensorData.Int8, new long[] { 4 }, new byte[4]));
        var bias = b.Weight("bias", new long[] { 4 }, TinyModels.Weights(4, 8));
        var w = b.Node("DequantizeLinear", new[] { "w_q", "w_scale", "w_zp" }, name: "dq", configure: n => n.SetInt("axis", 0));
        b.Node("Conv", new[] { "x", w, bias }, output: "y", name: "qconv",
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }));
        return b.ToModel();
    }
}
