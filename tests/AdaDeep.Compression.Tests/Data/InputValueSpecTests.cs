using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Data;

public class InputValueSpecTests
{
    [Fact]
    public void Parse_ANumber_IsAScalarConstant()
    {
        var feed = InputValueSpec.Parse("sr=16000");

        Assert.Equal("sr", feed.Name);
        Assert.Empty(feed.Shape);
        Assert.Equal(new[] { 16000.0 }, feed.Values);
        Assert.False(feed.PerSample);
    }

    [Fact]
    public void Parse_ACommaList_IsA1DConstant()
    {
        var feed = InputValueSpec.Parse("mask=1,0,true");

        Assert.Equal(new[] { 3 }, feed.Shape);
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, feed.Values);
    }

    [Fact]
    public void Parse_ATensorFile_IsThatTensor()
    {
        using var temp = new TempFolder();
        TensorFile.Write(temp.File("state.pb"), TensorData.FromFloats("state", new long[] { 2, 1, 4 }, new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }));

        var feed = InputValueSpec.Parse($"state={temp.File("state.pb")}");

        Assert.Equal(new[] { 2, 1, 4 }, feed.Shape);
        Assert.Equal(8.0, feed.Values[^1]);
    }

    [Theory]
    [InlineData("sr")]
    [InlineData("=5")]
    [InlineData("sr=no-such-file.npy")]
    public void Parse_Malformed_IsInputSpecInvalid(string spec)
    {
        var e = Assert.Throws<AdaDeepException>(() => InputValueSpec.Parse(spec));

        Assert.Equal(ErrorCodes.InputSpecInvalid, e.Code);
    }
}
