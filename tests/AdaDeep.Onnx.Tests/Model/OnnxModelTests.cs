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

public sealed class OnnxModelFileErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adadeep-badinput-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void TruncatedFileIsReportedAsTruncated()
    {
        var bytes = File.ReadAllBytes(RepoPaths.Model("iris-mlp"));
        var path = Write("cut.onnx", bytes[..(bytes.Length - 3)]);
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(path));
        Assert.Equal(ErrorCodes.ModelTruncated, e.Code);
        Assert.Equal($"{path}: error ADA1003: {e.Message}", e.ToMSBuildString());
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void EmptyFileIsReported()
    {
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(Write("empty.onnx", Array.Empty<byte>())));
        Assert.Equal(ErrorCodes.ModelEmpty, e.Code);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(Path.Combine(_dir, "absent.onnx")));
        Assert.Equal(ErrorCodes.ModelNotFound, e.Code);
    }

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D })] // a PNG header
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00 })]             // a zip header
    [InlineData(new byte[] { 0x08, 0x96, 0x01 })]                                          // valid protobuf, not a model
    public void BinaryThatIsNotOnnxIsReported(byte[] bytes)
    {
        var path = Write("not.onnx", bytes);
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(path));
        Assert.Equal(ErrorCodes.ModelNotOnnx, e.Code);
        Assert.StartsWith($"{path}: error ADA1002: ", e.ToMSBuildString());
    }

    [Fact]
    public void ATensorFileIsNotAModel()
    {
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(RepoPaths.PathOf("models", "mnist-8", "test_data_set_0", "input_0.pb")));
        Assert.Equal(ErrorCodes.ModelNotOnnx, e.Code);
    }

    [Fact]
    public void RawDataThatDoesNotMatchTheShapeIsReported()
    {
        var model = TinyModels.LeNetLike();
        var weight = model.Graph.Initializer.Single(i => i.Name == "conv2.weight");
        weight.RawData = Google.Protobuf.ByteString.CopyFrom(weight.RawData.Span[..100]);
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(Write("short.onnx", model.ToBytes())));
        Assert.Equal(ErrorCodes.ModelInvalidShape, e.Code);
        Assert.Contains("conv2.weight", e.Message);
        Assert.Contains("1152", e.Message);
    }

    [Fact]
    public void MissingInitializerInAFileIsReported()
    {
        var model = TinyModels.LeNetLike();
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(i => i.Name == "fc1.bias"));
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(Write("missing.onnx", model.ToBytes())));
        Assert.Equal(ErrorCodes.ModelMissingInitializer, e.Code);
        Assert.Contains("fc1.bias", e.Message);
        Assert.Contains("fc1", e.Message);
    }
}
