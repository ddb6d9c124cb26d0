using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques.Packing;

public class WeightPackerTests
{
    private static OnnxModel Pruned(OnnxModel model, string node, float sparsity) =>
        TechniqueRegistry.Get("W3").Apply(model, node, TechniqueOptions.Default with { PruneSparsity = sparsity });

    [Fact]
    public void PrunedModelShrinksAndComputesTheSameOutputs()
    {
        var pruned = Pruned(TinyModels.LeNetLike(), "fc1", 0.9f);
        var result = WeightPacker.PackWithReport(pruned);

        Assert.True(result.Changed, result.NotPackedReason);
        Assert.True(result.BytesAfter < result.BytesBefore - 3000, $"{result.BytesBefore} -> {result.BytesAfter}");
        Assert.Equal(result.BytesAfter, result.Model.ToBytes().LongLength);
        var packed = Assert.Single(result.Packed);
        Assert.Equal(1152, packed.Elements);
        Assert.Equal(1152 - (int)Math.Floor(0.9 * 1152), packed.NonZeros);
        var input = Input(LeNetShape);
        Assert.Equal(OrtRunner.Run(pruned, input, LeNetShape), OrtRunner.Run(result.Model, input, LeNetShape));
    }

    [Fact]
    public void PackedModelSurvivesSaveAndLoad()
    {
        var packed = WeightPacker.Pack(Pruned(TinyModels.LeNetLike(), "fc1", 0.8f));
        var reloaded = OnnxModel.Parse(packed.ToBytes());
        var input = Input(LeNetShape);
        Assert.Equal(OrtRunner.Run(packed, input, LeNetShape), OrtRunner.Run(reloaded, input, LeNetShape));
        Assert.Contains(reloaded.Proto.MetadataProps, p => p.Key == WeightPacker.PackedMetadataKey && p.Value == "1");
    }

    [Fact]
    public void DenseModelIsLeftAsItIs()
    {
        var model = TinyModels.LeNetLike();
        var result = WeightPacker.PackWithReport(model);
        Assert.False(result.Changed);
        Assert.Same(model, result.Model);
        Assert.Contains("zeros", result.NotPackedReason);
    }

    [Fact]
    public void Int8WeightsStayInt8WhenPacked()
    {
        var pruned = Pruned(TinyModels.LeNetLike(), "fc1", 0.9f);
        var quantised = TechniqueRegistry.Get("Q8W").Apply(pruned, "fc1", TechniqueOptions.Default);
        var result = WeightPacker.PackWithReport(quantised);

        var packed = Assert.Single(result.Packed);
        Assert.Equal(TensorData.Int8, packed.DataType);
        Assert.Contains(result.Model.Graph.Initializer, t => t.Name.EndsWith("_values", StringComparison.Ordinal) && t.DataType == TensorData.Int8);
        Assert.True(result.BytesAfter < result.BytesBefore);
        var input = Input(LeNetShape);
        Assert.Equal(OrtRunner.Run(quantised, input, LeNetShape), OrtRunner.Run(result.Model, input, LeNetShape));
    }

    [Fact]
    public void Opset8ModelIsRaisedWhenItsOperatorsAllow()
    {
        var mnist = Mnist();
        var pruned = Pruned(mnist, "Convolution110", 0.9f);
        var result = WeightPacker.PackWithReport(pruned);

        Assert.True(result.Changed, result.NotPackedReason);
        Assert.Equal(WeightPacker.DecoderOpset, result.Model.OpsetVersion);
        Assert.True(result.Model.Proto.IrVersion >= 6);
        // Same numbers up to float rounding (ORT picks another conv path once the weight is a folded constant).
        var input = Input(MnistShape);
        AssertSameOutputs(pruned, result.Model, input, MnistShape, 1e-4);
        Assert.True(result.BytesAfter < result.BytesBefore - 10000, $"{result.BytesBefore} -> {result.BytesAfter}");
    }

    [Fact]
    public void KeepsUnpackedWhenRaisingTheOpsetWouldChangeAnOperator()
    {
        // Clip moved min/max from attributes to inputs in opset 11: an opset-9 model with Clip cannot be raised.
        var b = new GraphBuilder("clip").Input("x", null, 64).Output("y", null, 64);
        var w = b.Weight("w", new long[] { 64, 64 }, TinyModels.Weights(4096, 3));
        var h = b.Node("MatMul", new[] { "x", w }, name: "fc");
        b.Node("Clip", new[] { h }, output: "y", configure: n => n.SetFloat("min", -1f).SetFloat("max", 1f), name: "clip");
        var model = Pruned(b.ToModel(opset: 9, irVersion: 4), "fc", 0.9f);

        var result = WeightPacker.PackWithReport(model);

        Assert.False(result.Changed);
        Assert.Contains("Clip", result.NotPackedReason);
        Assert.Equal(9, result.Model.OpsetVersion);
    }

    [Fact]
    public void SparseTechniquesRunTheSameOncePacked()
    {
        var model = TinyModels.LeNetLike();
        foreach (var (id, node) in new[] { ("C3", "conv2"), ("C1", "conv2"), ("W2", "fc1") })
        {
            var rewritten = TechniqueRegistry.Get(id).Apply(model, node, TechniqueOptions.Default);
            var result = WeightPacker.PackWithReport(rewritten);
            var input = Input(LeNetShape);
            Assert.Equal(OrtRunner.Run(rewritten, input, LeNetShape), OrtRunner.Run(result.Model, input, LeNetShape));
            Assert.True(result.BytesAfter <= result.BytesBefore);
        }
    }
}
