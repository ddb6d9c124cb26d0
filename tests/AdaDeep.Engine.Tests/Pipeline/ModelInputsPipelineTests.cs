using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// Issues 13.1, 13.2 and 14.1 end to end: a three-input model (float audio, a state tensor, an int64 scalar), an fp16
/// model and a free-H/W model are compressed, and what ships runs in ONNX Runtime with the original's interface.
/// </summary>
public sealed class ModelInputsPipelineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private CompressRequest Request(OnnxModel model, string name, string optimizer = "single:W3")
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, name)).FullName;
        var path = Path.Combine(folder, name + ".onnx");
        model.Save(path);
        return new CompressRequest
        {
            ModelPath = path,
            Device = "sony-sw3",
            Optimizer = optimizer,
            // These tests are about graph handling, on synthetic inputs: opt in to the lossy technique they exercise.
            AllowLossy = true,
            Seed = 3,
            MaxAccuracyDrop = 0.5,
            FineTuneEpochs = 1,
            Episodes = 4,
            OutputPath = Path.Combine(folder, "out", name + ".onnx"),
            ReportPath = Path.Combine(folder, "out", name + ".report"),
            UseCache = false,
        };
    }

    [Fact]
    public void ThreeInputs_WithoutValuesForTheState_IsACodedErrorNamingIt()
    {
        var request = Request(RealWorldTinyModels.ThreeInputs(), "vad");

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.InputMissing, e.Code);
        Assert.Contains("'state'", e.Message);
        Assert.Contains("--input state=", e.Message);
    }

    [Fact]
    public void ThreeInputs_WithInputConstants_CompressesAndShipsAllThreeInputs()
    {
        var request = Request(RealWorldTinyModels.ThreeInputs(), "vad") with { Inputs = new[] { "state=0.5", "sr=16000" } };

        var result = new CompressPipeline().Run(request);

        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Equal(new[] { "input", "state", "sr" }, new GraphIndex(shipped.Graph).RuntimeInputs.Select(i => i.Name));
        var y = RunThreeInputs(shipped, batch: 2);
        Assert.Equal(6, y.Length);
        Assert.Equal(RunThreeInputs(RealWorldTinyModels.ThreeInputs(), batch: 2).Length, y.Length);
        Assert.True(result.AccuracyIsAgreement);
        Assert.InRange(result.Accuracy, 0.5, 1.0);
        Assert.Contains("state [2,N=1,4]", result.InputShapes);
    }

    [Fact]
    public void ThreeInputs_FromAnNpzWithOneArrayPerInput_FeedsThemByName()
    {
        const int count = 40;
        var request = Request(RealWorldTinyModels.ThreeInputs(), "vad-npz");
        var data = Path.Combine(Path.GetDirectoryName(request.ModelPath)!, "data.npz");
        DataFileWriter.SaveNpz(data, new Dictionary<string, byte[]>
        {
            ["input"] = DataFileWriter.Npy("<f4", new[] { count, 16 }, DataFileWriter.Floats(TinyModels.Weights(count * 16, 8, 1f))),
            ["state"] = DataFileWriter.Npy("<f4", new[] { count, 2, 1, 4 }, DataFileWriter.Floats(TinyModels.Weights(count * 8, 9, 1f))),
            ["sr"] = DataFileWriter.Npy("<i8", new[] { count }, DataFileWriter.Int64s(Enumerable.Repeat(16000L, count))),
        });

        var result = new CompressPipeline().Run(request with { DatasetPath = data });

        Assert.True(File.Exists(request.OutputPath));
        Assert.Equal(1.0, result.OriginalAccuracy);
        Assert.Equal(8, result.AccuracySamples); // the reported accuracy is the test split's: 20 % of 40 held out
    }

    [Fact]
    public void ThreeInputs_FromTestDataSetsNextToTheModel_FeedsEveryInputK()
    {
        var request = Request(RealWorldTinyModels.ThreeInputs(), "vad-tds");
        var folder = Path.GetDirectoryName(request.ModelPath)!;
        for (var n = 0; n < 3; n++)
        {
            var set = Directory.CreateDirectory(Path.Combine(folder, $"test_data_set_{n}")).FullName;
            TensorFile.Write(Path.Combine(set, "input_0.pb"), TensorData.FromFloats("input", new long[] { 1, 16 }, TinyModels.Weights(16, 60 + n, 1f)));
            TensorFile.Write(Path.Combine(set, "input_1.pb"), TensorData.FromFloats("", new long[] { 2, 1, 4 }, TinyModels.Weights(8, 70 + n, 1f)));
            TensorFile.Write(Path.Combine(set, "input_2.pb"), TensorData.FromInt64s("sr", Array.Empty<long>(), new[] { 8000L }));
        }

        var result = new CompressPipeline().Run(request);

        Assert.True(File.Exists(request.OutputPath));
        Assert.Equal(3, result.AccuracySamples);
        Assert.Contains(result.Warnings, w => w.Contains("test_data_set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Float16Model_GetsInt8Weights_AndKeepsItsFloat16Interface(bool weightsInConstantNodes)
    {
        var original = Float16WideCnn();
        if (weightsInConstantNodes)
        {
            // Some exporters write weights as Constant nodes, not initializers: the file must still ship halves, not floats.
            foreach (var weight in original.Graph.Initializer.ToList())
            {
                var constant = new NodeProto { OpType = "Constant", Name = weight.Name + "_const" };
                constant.Output.Add(weight.Name);
                constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = weight });
                original.Graph.Node.Insert(0, constant);
                original.Graph.Initializer.Remove(weight);
            }
        }

        var request = Request(original, weightsInConstantNodes ? "fp16-q8w-const" : "fp16-q8w", optimizer: "single:Q8W");

        var result = new CompressPipeline().Run(request);

        Assert.Equal("Q8W", result.Techniques);
        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Equal(TensorData.Float16, shipped.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal(TensorData.Float16, shipped.Graph.Output[0].Type.TensorType.ElemType);
        Assert.Contains(shipped.Graph.Initializer, t => t.DataType == TensorData.Int8 && TensorData.ElementCount(t) == 32 * 16 * 9);
        Assert.DoesNotContain(shipped.Graph.Initializer, t => t.DataType == TensorData.Float && TensorData.ElementCount(t) >= 16);
        Assert.True(result.SizeBytes <= new FileInfo(request.ModelPath!).Length, $"{result.SizeBytes} bytes shipped from {new FileInfo(request.ModelPath!).Length}");
        using var session = new InferenceSession(shipped.ToBytes());
        var x = new DenseTensor<Float16>(TinyModels.Weights(64, 3, 1f).Select(v => (Float16)v).ToArray(), new[] { 1, 1, 8, 8 });
        using var outputs = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", x) });
        Assert.Equal(3, outputs.First().AsEnumerable<Float16>().Count());
    }

    [Fact]
    public void CompressedModelLargerThanItsInput_IsNotShipped()
    {
        // 55 float16 weights: int8 saves 55 bytes, its scales and casts cost more.
        var original = RealWorldTinyModels.Float16Cnn();
        var request = Request(original, "fp16-tiny-q8w", optimizer: "single:Q8W");

        var result = new CompressPipeline().Run(request);

        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.SizeGateShippedOriginal) && w.Contains("larger than the input file"));
        Assert.Equal("none", result.Techniques);
        Assert.Equal(new FileInfo(request.ModelPath!).Length, result.OriginalSizeBytes);
        Assert.True(result.SizeBytes <= result.OriginalSizeBytes);
        Assert.Equal(original.Sha256(), OnnxModel.Load(request.OutputPath).Sha256());
    }

    /// <summary>x float16 [N,1,8,8] → Conv(1→16, 3×3) → Relu → Conv(16→32, 3×3) → Relu → GlobalAveragePool → Flatten →
    /// Gemm(32→3) = y float16: 4,608 weights in conv2, enough for int8 to pay for its scales.</summary>
    private static OnnxModel Float16WideCnn()
    {
        var b = new GraphBuilder("fp16_wide");
        b.Graph.Input.Add(GraphBuilder.TensorInfo("x", TensorData.Float16, new long?[] { null, 1, 8, 8 }));
        b.Graph.Output.Add(GraphBuilder.TensorInfo("y", TensorData.Float16, new long?[] { null, 3 }));
        b.Graph.Initializer.Add(TensorData.FromHalves("conv1.weight", new long[] { 16, 1, 3, 3 }, TinyModels.Weights(144, 51)));
        b.Graph.Initializer.Add(TensorData.FromHalves("conv2.weight", new long[] { 32, 16, 3, 3 }, TinyModels.Weights(32 * 16 * 9, 52, 0.2f)));
        b.Graph.Initializer.Add(TensorData.FromHalves("fc.weight", new long[] { 3, 32 }, TinyModels.Weights(96, 53)));
        var c1 = b.Node("Conv", new[] { "x", "conv1.weight" }, configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv1");
        var r1 = b.Node("Relu", new[] { c1 }, name: "relu1");
        var c2 = b.Node("Conv", new[] { r1, "conv2.weight" }, configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }), name: "conv2");
        var r2 = b.Node("Relu", new[] { c2 }, name: "relu2");
        var p = b.Node("GlobalAveragePool", new[] { r2 }, name: "gap");
        var f = b.Node("Flatten", new[] { p }, configure: n => n.SetInt("axis", 1), name: "flatten");
        b.Node("Gemm", new[] { f, "fc.weight" }, output: "y", configure: n => n.SetInt("transB", 1), name: "fc");
        return b.ToModel();
    }

    [Fact]
    public void Float16Model_IsCompressed_AndShipsWithFloat16InputsAndOutputs()
    {
        var original = RealWorldTinyModels.Float16Cnn();
        var request = Request(original, "fp16", optimizer: "single:W1c");

        var result = new CompressPipeline().Run(request);

        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Equal(TensorData.Float16, shipped.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal(TensorData.Float16, shipped.Graph.Output[0].Type.TensorType.ElemType);
        Assert.DoesNotContain(shipped.Graph.Initializer, t => t.DataType == TensorData.Float && TensorData.ElementCount(t) >= 16);
        using var session = new InferenceSession(shipped.ToBytes());
        var x = new DenseTensor<Float16>(TinyModels.Weights(64, 3, 1f).Select(v => (Float16)v).ToArray(), new[] { 1, 1, 8, 8 });
        using var outputs = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", x) });
        Assert.Equal(3, outputs.First().AsEnumerable<Float16>().Count());
        // Weights ship as halves: no more weight bytes than the same parameters in the original's float16.
        var shippedWeightBytes = shipped.Graph.Initializer.Where(t => TensorData.ElementCount(t) >= 16).Sum(TensorData.StoredBytes);
        var shippedParameters = shipped.Graph.Initializer.Where(t => TensorData.ElementCount(t) >= 16).Sum(TensorData.ElementCount);
        Assert.Equal(2 * shippedParameters, shippedWeightBytes);
        Assert.Equal(1.0, result.OriginalAccuracy);
        Assert.InRange(result.Accuracy, 0.5, 1.0);
    }

    [Fact]
    public void FreeSpatialModel_WithoutShapeOrData_IsACodedErrorAskingForTheShape()
    {
        var request = Request(RealWorldTinyModels.FreeSpatialCnn(), "free");

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

        Assert.Equal(ErrorCodes.InputShapeUnresolved, e.Code);
        Assert.Contains("--input-shape x=1x3xHxW", e.Message);
        Assert.False(File.Exists(request.OutputPath));
    }

    [Fact]
    public void FreeSpatialModel_WithInputShape_IsCostedAndValidatedAtThatShape_AndShipsWithFreeDims()
    {
        var request = Request(RealWorldTinyModels.FreeSpatialCnn(), "free-shape") with { InputShapes = new[] { "x=1x3x16x24" } };

        var result = new CompressPipeline().Run(request);

        // conv1 216 + conv2 576 MACs per pixel at 16×24, plus the Gemm's 16 (see FreeSpatialCnn).
        Assert.Equal(792L * 16 * 24 + 16, result.OriginalMacs);
        Assert.Contains("x [N=1,3,16,24] (--input-shape)", result.InputShapes);
        Assert.Contains("16,24", File.ReadAllText(request.ReportPath + ".md"));
        var shipped = OnnxModel.Load(request.OutputPath);
        var dims = shipped.Graph.Input[0].Type.TensorType.Shape.Dim;
        Assert.Equal(new[] { "N", "", "H", "W" }, dims.Select(d => d.DimParam));
        Assert.Equal(2, OrtRunner.Run(shipped, new float[3 * 8 * 40], new[] { 1, 3, 8, 40 }).Length);
    }

    [Fact]
    public void RecurrentModel_IsCompressed_AndItsLayerGetsInt8Weights()
    {
        // x [N, 7, 5] → GRU(8) → last step → fc: the GRU is a decision point; a binding storage budget gives it int8.
        var model = RealWorldTinyModels.SequenceClassifier();
        var request = Request(model, "gru", optimizer: "single:P2@25") with { StorageBudgetMB = 1e-3 };

        var result = new CompressPipeline().Run(request);

        Assert.Contains(result.LayerChoices, c => c.StartsWith("rnn=", StringComparison.Ordinal));
        Assert.Contains("Q8W", result.Techniques);
        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Contains(shipped.Graph.Initializer, t => t.DataType == TensorData.Int8 && t.Dims.Count == 3);
        Assert.Equal(3, OrtRunner.Run(shipped, new float[7 * 5], new[] { 1, 7, 5 }).Length);
    }

    [Fact]
    public void ModelNothingAppliesTo_IsRefusedBeforeAnyMeasurement_NamingTheCause()
    {
        // C2 needs a conv with a kernel above 1×1; the MLP has only fc layers.
        var request = Request(TinyModels.Mlp(), "nothing") with { Techniques = new[] { "C2" } };
        var stages = new List<string>();

        var e = Assert.Throws<AdaDeepException>(() => new CompressPipeline(new SyncRecorder(stages)).Run(request));

        Assert.Equal(ErrorCodes.SearchNothingToDecide, e.Code);
        Assert.Contains("C2: ", e.Message);
        Assert.DoesNotContain("measure", stages);
        Assert.DoesNotContain("search", stages);
        Assert.False(File.Exists(request.OutputPath));
    }

    private sealed class SyncRecorder(List<string> stages) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => stages.Add(value.Stage);
    }

    [Fact]
    public void FreeSpatialModel_IsTimedAtItsRealShape_NotAtOneByOne()
    {
        // The injected meter times a model by the pixels of its first input, as ONNX Runtime's cost grows with them:
        // at 1×1 (what ORT's meter feeds a free dimension) both models would take 1 ms.
        var request = Request(RealWorldTinyModels.FreeSpatialCnn(), "free-timed") with { InputShapes = new[] { "x=1x3x16x24" }, Device = "host" };
        var seen = new List<string>();
        var meter = new PixelMeter(seen);

        var result = new CompressPipeline(null, new PipelineHooks { LatencyMeter = meter }).Run(request);

        Assert.NotEmpty(seen);
        Assert.All(seen, dims => Assert.Equal("1,3,16,24", dims));
        Assert.Equal(16 * 24 / 100.0, result.OriginalHostOrtLatencyMs);
    }

    private sealed class PixelMeter(List<string> seen) : ILatencyMeter
    {
        public double MeasureMs(OnnxModel model)
        {
            var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue > 0 ? d.DimValue : 1).ToArray();
            seen.Add(string.Join(",", dims));
            return dims[2] * dims[3] / 100.0;
        }
    }

    [Fact]
    public void FreeSpatialModel_WithData_TakesTheShapeFromTheSamples()
    {
        const int count = 12;
        var request = Request(RealWorldTinyModels.FreeSpatialCnn(), "free-data");
        var data = Path.Combine(Path.GetDirectoryName(request.ModelPath)!, "data.npz");
        DataFileWriter.SaveNpz(data, new Dictionary<string, byte[]>
        {
            ["x"] = DataFileWriter.Npy("<f4", new[] { count, 3, 10, 6 }, DataFileWriter.Floats(TinyModels.Weights(count * 180, 4, 1f))),
        });

        var result = new CompressPipeline().Run(request with { DatasetPath = data });

        Assert.Equal(792L * 10 * 6 + 16, result.OriginalMacs);
        Assert.Contains("x [N=1,3,10,6]", result.InputShapes);
    }

    private static float[] RunThreeInputs(OnnxModel model, int batch)
    {
        using var session = new InferenceSession(model.ToBytes());
        var feeds = new[]
        {
            NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(TinyModels.Weights(16 * batch, 2, 1f), new[] { batch, 16 })),
            NamedOnnxValue.CreateFromTensor("state", new DenseTensor<float>(new float[2 * batch * 4], new[] { 2, batch, 4 })),
            NamedOnnxValue.CreateFromTensor("sr", new DenseTensor<long>(new[] { 16000L }, Array.Empty<int>())),
        };
        using var results = session.Run(feeds);
        return results.First().AsEnumerable<float>().ToArray();
    }
}
