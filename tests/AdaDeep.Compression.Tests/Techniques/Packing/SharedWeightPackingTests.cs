using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques.Packing;

/// <summary>Deep Compression's shipped form: pruned + shared weights, stored as codebooks and relative indices.</summary>
public class SharedWeightPackingTests
{
    private static OnnxModel PrunedAndShared(float sparsity)
    {
        var model = TinyModels.LeNetLike();
        if (sparsity > 0)
        {
            model = TechniqueRegistry.Get($"W3@{(int)(sparsity * 100)}").Apply(model, "fc1", TechniqueOptions.Default);
        }

        return WeightSharing.Apply(model, new WeightSharingOptions(FcBits: 4, ConvBits: 8));
    }

    /// <summary>The weights as ONNX Runtime decodes them from the shipped file: each packed weight made a graph output.</summary>
    private static Dictionary<string, float[]> DecodedInOrt(OnnxModel packed, IEnumerable<string> names)
    {
        var probe = packed.Clone();
        foreach (var name in names)
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float } },
            });
        }

        using var session = new InferenceSession(probe.ToBytes());
        var input = new DenseTensor<float>(Input(LeNetShape), LeNetShape);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input) });
        return results.Where(r => names.Contains(r.Name)).ToDictionary(r => r.Name, r => r.AsEnumerable<float>().ToArray());
    }

    [Theory]
    [InlineData(0.9f)]
    [InlineData(0f)]
    public void ShippedFormsDecoderCostsNoMacsPerInference(float sparsity)
    {
        // The codebook decoder (Cast, Div, Mod, MatMul of bit planes…) reads constants only: ONNX Runtime folds it once at
        // session creation, so the per-inference MACs of the packed model are the dense model's.
        var shared = PrunedAndShared(sparsity);
        var packed = WeightPacker.PackWithReport(shared).Model;

        var before = AdaDeep.Onnx.Analysis.ModelAnalyzer.Analyze(shared);
        var after = AdaDeep.Onnx.Analysis.ModelAnalyzer.Analyze(packed);

        Assert.True(after.Layers.Count > before.Layers.Count, "the packed model has decoding nodes");
        Assert.Equal(before.Layers.Sum(l => l.Macs), after.Layers.Sum(l => l.Macs));
    }

    [Theory]
    [InlineData(0.9f, true)]
    [InlineData(0f, false)]
    public void ShippedFormDecodesInOrtToExactlyTheWeightsItEncodes(float sparsity, bool sparse)
    {
        var shared = PrunedAndShared(sparsity);
        var result = WeightPacker.PackWithReport(shared);

        var fc1 = Assert.Single(result.Packed, p => p.Form == WeightPacker.PackedForm.Codebook);
        Assert.Equal(1152, fc1.Elements);
        Assert.True(result.BytesAfter < result.BytesBefore - 3000, $"{result.BytesBefore} -> {result.BytesAfter}");
        Assert.DoesNotContain(result.Model.Graph.Initializer, t => t.Name == fc1.Name);
        var stream = result.Model.Graph.Initializer.Single(t => t.DataType == TensorData.UInt8 && t.Name.EndsWith('s'));
        Assert.Equal(sparse, stream.Dims[0] < 1152 * 4 / 8);

        var expected = shared.Graph.Initializer.Where(t => result.Packed.Any(p => p.Name == t.Name)).ToDictionary(t => t.Name, TensorData.ToFloats);
        var decoded = DecodedInOrt(result.Model, expected.Keys);
        foreach (var (name, values) in expected)
        {
            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), decoded[name].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void CompressedTinyModelRunsInOrtWithTheDenseDecodedModelsOutputs()
    {
        var shared = PrunedAndShared(0.9f);
        var packed = WeightPacker.Pack(shared);
        var reloaded = OnnxModel.Parse(packed.ToBytes());
        var input = Input(LeNetShape);
        Assert.Equal(OrtRunner.Run(shared, input, LeNetShape), OrtRunner.Run(reloaded, input, LeNetShape));
    }

    [Fact]
    public void SharedBiasesAreFp16ExactAndFp16ExactTensorsShipAsFp16()
    {
        var shared = PrunedAndShared(0.9f);
        var bias = shared.Graph.Initializer.Single(t => t.Name == "fc1.bias");
        Assert.All(TensorData.ToFloats(bias), v => Assert.Equal((float)(Half)v, v));
        var packed = WeightPacker.PackWithReport(shared).Model;
        Assert.Contains(packed.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
    }
}
