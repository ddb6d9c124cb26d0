using AdaDeep.Compression.Normalization;
using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Normalization;

public class GraphNormalizerTests
{
    private static readonly int[] Shape = { 1, 3, 8, 8 };

    /// <summary>
    /// An AlexNet-style export at opset 9 (IR 3, weights also listed as graph inputs, as old exporters wrote them):
    /// Conv → Relu → MaxPool → Flatten → Dropout → Gemm → Relu → Dropout → Gemm → Softmax (legacy axis 1).
    /// </summary>
    internal static OnnxModel OldAlexNetLike()
    {
        var b = new GraphBuilder("alexnet_like").Input("x", 1, 3, 8, 8).Output("prob", 1, 10);
        var c = b.Node("Conv", new[] { "x", b.Weight("conv1_w", new long[] { 4, 3, 3, 3 }, TinyModels.Weights(108, 1)), b.Weight("conv1_b", new long[] { 4 }, TinyModels.Weights(4, 2)) },
            configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv1");
        var r = b.Node("Relu", new[] { c }, name: "relu1");
        var p = b.Node("MaxPool", new[] { r }, configure: n => n.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }), name: "pool1");
        var f = b.Node("Flatten", new[] { p }, configure: n => n.SetInt("axis", 1), name: "flatten");
        var d1 = b.Node("Dropout", new[] { f }, configure: n => n.SetFloat("ratio", 0.5f), name: "drop6");
        var h = b.Node("Gemm", new[] { d1, b.Weight("fc6_w", new long[] { 16, 64 }, TinyModels.Weights(1024, 3, 0.2f)), b.Weight("fc6_b", new long[] { 16 }, TinyModels.Weights(16, 4)) },
            configure: n => n.SetInt("transB", 1), name: "fc6");
        var r2 = b.Node("Relu", new[] { h }, name: "relu6");
        var d2 = b.Node("Dropout", new[] { r2 }, configure: n => n.SetFloat("ratio", 0.5f), name: "drop7");
        var logits = b.Node("Gemm", new[] { d2, b.Weight("fc8_w", new long[] { 10, 16 }, TinyModels.Weights(160, 5)), b.Weight("fc8_b", new long[] { 10 }, TinyModels.Weights(10, 6)) },
            configure: n => n.SetInt("transB", 1), name: "fc8");
        b.Node("Softmax", new[] { logits }, output: "prob", name: "prob");
        var model = b.ToModel(opset: 9, irVersion: 3);
        foreach (var t in model.Graph.Initializer)
        {
            model.Graph.Input.Add(GraphBuilder.TensorInfo(t.Name, t.DataType, t.Dims.Select(d => (long?)d)));
        }

        return model;
    }

    [Fact]
    public void OldExportWithDropout_LosesTheDropoutsAndReachesOpset13_WithTheSameOutputs()
    {
        var model = OldAlexNetLike();
        var result = GraphNormalizer.Normalize(model);

        Assert.Equal(2, result.DropoutsRemoved);
        Assert.Equal(9, result.FromOpset);
        Assert.Equal(GraphNormalizer.TargetOpset, result.Model.OpsetVersion);
        Assert.Null(result.OpsetKeptReason);
        Assert.DoesNotContain(result.Model.Graph.Node, n => n.OpType == "Dropout");
        Assert.Equal(new[] { "prob" }, result.Model.Graph.Output.Select(o => o.Name));
        Assert.Equal(9, model.OpsetVersion); // the input is untouched
        Assert.Contains(model.Graph.Node, n => n.OpType == "Dropout");

        var input = Input(Shape);
        var error = RelativeError(OrtRunner.Run(result.Model, input, Shape), OrtRunner.Run(model, input, Shape));
        Assert.True(error < 1e-6, $"relative error {error}");
        Assert.Equal("removed 2 inference Dropouts (identities); converted opset 9 to 13", result.Describe());
    }

    [Fact]
    public void AfterNormalizing_Int8WeightsApplyToEveryLayerOfAnOldExport()
    {
        // Before: Q8W had to raise opset 9 to 10, across Dropout's change of meaning, and refused every layer.
        var model = OldAlexNetLike();
        var q8w = new WeightQuantizationTechnique();
        Assert.False(q8w.CanApply(model, "fc6").CanApply);

        var normalized = GraphNormalizer.Normalize(model).Model;
        foreach (var layer in new[] { "conv1", "fc6", "fc8" })
        {
            Assert.True(q8w.CanApply(normalized, layer).CanApply, layer);
        }

        var quantized = q8w.Apply(q8w.Apply(q8w.Apply(normalized, "conv1", TechniqueOptions.Default), "fc6", TechniqueOptions.Default), "fc8", TechniqueOptions.Default);
        var input = Input(Shape);
        var error = RelativeError(OrtRunner.Run(quantized, input, Shape), OrtRunner.Run(model, input, Shape));
        Assert.True(error < 0.02, $"relative error {error}");
        Assert.True(quantized.ToBytes().Length * 2 < model.ToBytes().Length, "int8 weights at least halve the file");
    }

    [Fact]
    public void DropoutThatIsAGraphOutput_BecomesAnIdentityOfTheSameName()
    {
        var b = new GraphBuilder("d").Input("x", null, 4).Output("y", null, 4);
        b.Node("Dropout", new[] { "x" }, output: "y", name: "drop");
        var result = GraphNormalizer.Normalize(b.ToModel(opset: 13));

        Assert.Equal(1, result.DropoutsRemoved);
        var node = Assert.Single(result.Model.Graph.Node);
        Assert.Equal("Identity", node.OpType);
        Assert.Equal("y", node.Output[0]);
    }

    [Fact]
    public void DropoutInTrainingMode_IsKept()
    {
        var b = new GraphBuilder("d").Input("x", null, 4).Output("y", null, 4);
        var ratio = b.Weight("ratio", Array.Empty<long>(), new[] { 0.5f });
        var model = b.ToModel(opset: 13);
        var mode = TensorData.FromBytes("mode", TensorData.Bool, Array.Empty<long>(), new byte[] { 1 });
        model.Graph.Initializer.Add(mode);
        var n = new AdaDeep.Onnx.Proto.NodeProto { OpType = "Dropout", Name = "drop" };
        n.Input.AddRange(new[] { "x", ratio, "mode" });
        n.Output.Add("y");
        model.Graph.Node.Add(n);

        var result = GraphNormalizer.Normalize(model);
        Assert.Equal(0, result.DropoutsRemoved);
        Assert.Contains(result.Model.Graph.Node, x => x.OpType == "Dropout");
    }

    [Fact]
    public void UnknownOldOperator_KeepsTheOpsetAndNamesIt()
    {
        var b = new GraphBuilder("u").Input("x", 1, 1, 4, 4).Output("y", 1, 1, 8, 8);
        var scales = b.Weight("scales", new long[] { 4 }, new[] { 1f, 1f, 2f, 2f });
        b.Node("Upsample", new[] { "x", scales }, output: "y", name: "up");
        b.Node("Dropout", new[] { "y" }, name: "unused_drop");
        var result = GraphNormalizer.Normalize(b.ToModel(opset: 9, irVersion: 4));

        Assert.Equal(9, result.Model.OpsetVersion);
        Assert.Contains("Upsample ('up')", result.OpsetKeptReason);
        Assert.Contains("opset 9 to 13", result.OpsetKeptReason);
    }

    [Fact]
    public void RecurrentModelAtOpset9_IsRaisedSoItsGruGetsInt8()
    {
        // A GRU export at opset 9 with an Unsqueeze (axes attribute until 13): converted, and Q8W applies to the GRU.
        var model = AdaDeep.TestUtilities.RealWorldTinyModels.SequenceClassifier();
        var squeeze = model.Graph.Node.Single(n => n.OpType == "Squeeze");
        squeeze.Input.RemoveAt(1);
        squeeze.SetInts("axes", new long[] { 1 });
        model.Proto.OpsetImport[0].Version = 9;
        model.Proto.IrVersion = 4;

        var result = GraphNormalizer.Normalize(model);

        Assert.Null(result.OpsetKeptReason);
        Assert.Equal(13, result.Model.OpsetVersion);
        Assert.True(new WeightQuantizationTechnique().CanApply(result.Model, "rnn").CanApply);
        var shape = new[] { 2, 7, 5 };
        var input = Input(shape);
        Assert.True(RelativeError(OrtRunner.Run(result.Model, input, shape), OrtRunner.Run(model, input, shape)) < 1e-6);
    }

    [Fact]
    public void ModelAtACurrentOpset_IsReturnedAsItIs()
    {
        var model = TinyModels.LeNetLike();
        var result = GraphNormalizer.Normalize(model);
        Assert.False(result.Changed);
        Assert.Same(model, result.Model);
        Assert.Null(result.Describe());
    }
}
