using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Model;

public class OnnxModelTests
{
    [Fact]
    public void TinyModelsRunInOnnxRuntime()
    {
        var y = OrtRunner.Run(TinyModels.LeNetLike(), TinyModels.Weights(144, 5), new[] { 1, 1, 12, 12 });
        Assert.Equal(10, y.Length);
        var z = OrtRunner.Run(TinyModels.Mlp(), TinyModels.Weights(8, 5), new[] { 2, 4 });
        Assert.Equal(6, z.Length);
    }

    [Fact]
    public void RoundTripKeepsOutputsIdentical()
    {
        var model = TinyModels.LeNetLike();
        var input = TinyModels.Weights(144, 9);
        var before = OrtRunner.Run(model, input, new[] { 1, 1, 12, 12 });
        var reloaded = OnnxModel.Parse(model.ToBytes());
        var after = OrtRunner.Run(reloaded, input, new[] { 1, 1, 12, 12 });
        Assert.Equal(before, after);
    }

    [Fact]
    public void EmptyBytesAreRejected()
    {
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Parse(Array.Empty<byte>(), "empty.onnx"));
        Assert.Equal(ErrorCodes.ModelEmpty, e.Code);
        Assert.Equal("empty.onnx: error ADA1004: the model file is empty", e.ToMSBuildString());
    }

    [Fact]
    public void TruncatedModelIsRejected()
    {
        var bytes = TinyModels.LeNetLike().ToBytes();
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Parse(bytes.AsSpan(0, bytes.Length / 2), "cut.onnx"));
        Assert.Contains(e.Code, new[] { ErrorCodes.ModelTruncated, ErrorCodes.ModelMissingInitializer, ErrorCodes.ModelInvalidShape });
    }

    [Fact]
    public void TextIsNotOnnx()
    {
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Parse("hello, this is not a model\n"u8, "x.onnx"));
        Assert.Equal(ErrorCodes.ModelNotOnnx, e.Code);
    }

    [Fact]
    public void MissingInitializerIsReported()
    {
        var model = TinyModels.Mlp();
        model.Graph.Initializer.Remove(model.Graph.Initializer.First(i => i.Name == "fc2.weight"));
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Parse(model.ToBytes(), "m.onnx"));
        Assert.Equal(ErrorCodes.ModelMissingInitializer, e.Code);
        Assert.Contains("fc2.weight", e.Message);
    }
}
