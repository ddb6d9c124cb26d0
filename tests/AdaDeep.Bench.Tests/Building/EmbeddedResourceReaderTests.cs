using AdaDeep.Bench.Building;

namespace AdaDeep.Bench.Tests.Building;

public class EmbeddedResourceReaderTests
{
    private static string ThisAssembly => typeof(EmbeddedResourceReaderTests).Assembly.Location;

    [Fact]
    public void Read_ReturnsTheEmbeddedBytes()
    {
        var expected = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "embedded-probe.bin"));

        Assert.Equal(expected, EmbeddedResourceReader.Read(ThisAssembly, "AdaDeep.probe.onnx"));
    }

    [Fact]
    public void Read_UnknownName_IsNull()
    {
        Assert.Null(EmbeddedResourceReader.Read(ThisAssembly, "AdaDeep.absent.onnx"));
    }
}
