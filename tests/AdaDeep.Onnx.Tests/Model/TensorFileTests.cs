using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Google.Protobuf;

namespace AdaDeep.Onnx.Tests.Model;

public sealed class TensorFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adadeep-tensorfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsTheMnistTestDataSet()
    {
        var input = TensorFile.Read(RepoPaths.PathOf("models", "mnist-8", "test_data_set_0", "input_0.pb"));
        var output = TensorFile.Read(RepoPaths.PathOf("models", "mnist-8", "test_data_set_0", "output_0.pb"));
        Assert.Equal(new long[] { 1, 1, 28, 28 }, input.Dims);
        Assert.Equal(TensorData.Float, input.DataType);
        Assert.Equal(784, TensorData.ToFloats(input).Length);
        Assert.Equal(new long[] { 1, 10 }, output.Dims);
    }

    [Fact]
    public void WriteThenReadGivesTheSameTensor()
    {
        var tensor = TensorData.FromFloats("input_0", new long[] { 2, 3 }, new[] { 1f, 2f, 3f, -4f, 5.5f, 0f });
        var path = Path.Combine(_dir, "sub", "input_0.pb");
        TensorFile.Write(path, tensor);
        var read = TensorFile.Read(path);
        Assert.Equal(tensor, read);
        Assert.Equal(tensor.ToByteArray(), File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "sub"), "*.tmp"));
    }

    [Fact]
    public void TypedFieldsAreAcceptedWhenTheyFillTheShape()
    {
        var t = new TensorProto { Name = "t", DataType = TensorData.Int64 };
        t.Dims.Add(3);
        t.Int64Data.AddRange(new long[] { 1, 2, 3 });
        Assert.Equal(new long[] { 1, 2, 3 }, TensorData.ToInt64s(TensorFile.Parse(t.ToByteArray())));
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var path = Path.Combine(_dir, "nope.pb");
        var e = Assert.Throws<AdaDeepException>(() => TensorFile.Read(path));
        Assert.Equal(ErrorCodes.TensorFileNotFound, e.Code);
        Assert.Equal(path, e.File);
    }

    [Fact]
    public void EmptyFileIsReported()
    {
        var path = Path.Combine(_dir, "empty.pb");
        File.WriteAllBytes(path, Array.Empty<byte>());
        var e = Assert.Throws<AdaDeepException>(() => TensorFile.Read(path));
        Assert.Equal(ErrorCodes.TensorFileInvalid, e.Code);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        var bytes = File.ReadAllBytes(RepoPaths.PathOf("models", "mnist-8", "test_data_set_0", "input_0.pb"));
        var e = Assert.Throws<AdaDeepException>(() => TensorFile.Parse(bytes.AsSpan(0, bytes.Length - 5), "cut.pb"));
        Assert.Equal(ErrorCodes.TensorFileInvalid, e.Code);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TextIsNotATensor()
    {
        var e = Assert.Throws<AdaDeepException>(() => TensorFile.Parse("just some text\n"u8, "t.pb"));
        Assert.Equal(ErrorCodes.TensorFileInvalid, e.Code);
        Assert.StartsWith("t.pb: error ADA1011: ", e.ToMSBuildString());
    }

    [Fact]
    public void AModelIsNotATensor()
    {
        var e = Assert.Throws<AdaDeepException>(() => TensorFile.Parse(TinyModels.Mlp().ToBytes()));
        Assert.Equal(ErrorCodes.TensorFileInvalid, e.Code);
    }

    [Fact]
    public void ValuesThatDoNotFillTheShapeAreReported()
    {
        var t = TensorData.FromFloats("t", new long[] { 2, 2 }, new float[4]);
        t.Dims[1] = 3;
        var e = Assert.Throws<AdaDeepException>(() => TensorFile.Parse(t.ToByteArray(), "bad.pb"));
        Assert.Equal(ErrorCodes.TensorFileInvalid, e.Code);
        Assert.Contains("needs 6", e.Message);
        Assert.Throws<AdaDeepException>(() => TensorFile.Write(Path.Combine(_dir, "bad.pb"), t));
        Assert.False(File.Exists(Path.Combine(_dir, "bad.pb")));
    }
}
