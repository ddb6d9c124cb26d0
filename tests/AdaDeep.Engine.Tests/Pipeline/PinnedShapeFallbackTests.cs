using AdaDeep.Compression.Data;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using Microsoft.ML.OnnxRuntime;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// Issue 23: a model ONNX Runtime runs as given is not refused because of the tool's pinned working copy: the free
/// dimension ORT refuses pinned stays free, with ADA1103 naming it; a model ORT refuses as given keeps its own error.
/// </summary>
public sealed class PinnedShapeFallbackTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private CompressRequest Request(OnnxModel model, string name, long sampleRate)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, name)).FullName;
        var path = Path.Combine(folder, name + ".onnx");
        model.Save(path);
        // The state's free dimension B is 2 in the data: the 16 kHz branch takes any B, the 8 kHz one only B = 1.
        var state = Path.Combine(folder, "state.npy");
        File.WriteAllBytes(state, DataFileWriter.Npy("<f4", new[] { 2, 2, 4 }, DataFileWriter.Floats(TinyModels.Weights(16, 61))));
        return new CompressRequest
        {
            ModelPath = path,
            Device = "sony-sw3",
            Optimizer = "single:W3",
            AllowLossy = true,
            Seed = 3,
            MaxAccuracyDrop = 0.5,
            FineTuneEpochs = 1,
            Episodes = 2,
            Inputs = new[] { $"state={state}", $"sr={sampleRate}" },
            OutputPath = Path.Combine(folder, "out", name + ".onnx"),
            ReportPath = Path.Combine(folder, "out", name + ".report"),
            UseCache = false,
        };
    }

    [Fact]
    public void TheTestModelsPinnedCopyIsRefusedByOnnxRuntime_WhileTheModelAsGivenLoads()
    {
        // The premise of the other tests: pinning B = 2 makes ORT's load-time check of the 8 kHz branch fail.
        var model = IfModels.SqueezeInTheOtherBranch();
        var request = Request(model, "premise", 16000);
        var specs = InputShapeSpec.ParseAll(new[] { "state=2x2x4" });
        var pinned = InputShapes.Resolve(model, specs, null).Pin(model);

        var e = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(pinned.ToBytes()));
        Assert.Contains("Squeeze", e.Message, StringComparison.OrdinalIgnoreCase);
        using var asGiven = new InferenceSession(model.ToBytes());
        Assert.NotNull(request.ModelPath);
    }

    [Fact]
    public void ARefusedPin_LeavesThatDimensionFree_WithACodedWarningNamingIt()
    {
        var model = IfModels.SqueezeInTheOtherBranch();
        var warnings = new List<string>();

        var prepared = InputData.Prepare(Request(model, "fallback", 16000), model, warnings);

        Assert.Equal(new[] { ("state", 1) }, prepared.Shapes.LeftFree);
        Assert.False(prepared.Shapes.PinsAnything);
        var warning = Assert.Single(warnings, w => w.Contains(ErrorCodes.ModelPinnedShapeRefused, StringComparison.Ordinal));
        Assert.Contains("input 'state' dimension 1 pinned to 2", warning);
        Assert.Contains("Squeeze", warning, StringComparison.OrdinalIgnoreCase);
        var state = prepared.Working.Graph.Input.Single(i => i.Name == "state").Type.TensorType.Shape.Dim[1];
        Assert.False(state.HasDimValue); // free again in the working copy
        using var session = new InferenceSession(prepared.Working.ToBytes()); // which ORT now loads
    }

    [Fact]
    public void APinOrtAccepts_IsKept()
    {
        var model = RealWorldTinyModels.FreeSpatialCnn();
        var folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "kept")).FullName;
        var path = Path.Combine(folder, "kept.onnx");
        model.Save(path);
        var warnings = new List<string>();

        var prepared = InputData.Prepare(new CompressRequest { ModelPath = path, Device = "sony-sw3", OutputPath = Path.Combine(folder, "out.onnx"), InputShapes = new[] { "x=1x3x16x24" } }, model, warnings);

        Assert.True(prepared.Shapes.PinsAnything);
        Assert.Empty(prepared.Shapes.LeftFree);
        Assert.DoesNotContain(warnings, w => w.Contains(ErrorCodes.ModelPinnedShapeRefused, StringComparison.Ordinal));
        Assert.Equal(16, prepared.Working.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimValue);
    }

    [Fact]
    public void AModelThatFailsAsGiven_KeepsItsOwnRunError()
    {
        // At 8 kHz the Squeeze runs on B = 2: the model as given fails too, so that is the error, not a fallback.
        var model = IfModels.SqueezeInTheOtherBranch();
        var e = Assert.Throws<AdaDeepException>(() => InputData.Prepare(Request(model, "fails", 8000), model, new List<string>()));
        Assert.Equal(ErrorCodes.ModelRunFailed, e.Code);
    }

    [Fact]
    public void AModelOrtRefusesAsGiven_KeepsAda1102()
    {
        var model = IfModels.SqueezeInTheOtherBranch(unknownOperator: true);
        var e = Assert.Throws<AdaDeepException>(() => InputData.Prepare(Request(model, "refused", 16000), model, new List<string>()));
        Assert.Equal(ErrorCodes.ModelRuntimeRefused, e.Code);
        Assert.Contains("NoSuchOperator", e.Message);
    }

    [Fact]
    public void ThePipelineCompressesTheModelAndShipsItsFreeInputs()
    {
        var model = IfModels.SqueezeInTheOtherBranch();
        var request = Request(model, "pipeline", 16000);

        var result = new CompressPipeline().Run(request);

        Assert.Contains(result.Warnings, w => w.Contains(ErrorCodes.ModelPinnedShapeRefused, StringComparison.Ordinal));
        var shipped = OnnxModel.Load(request.OutputPath);
        Assert.Equal("B", shipped.Graph.Input.Single(i => i.Name == "state").Type.TensorType.Shape.Dim[1].DimParam);
        using var session = new InferenceSession(shipped.ToBytes());
    }
}
