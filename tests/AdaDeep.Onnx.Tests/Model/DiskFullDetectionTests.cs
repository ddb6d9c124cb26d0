using AdaDeep.Onnx.Model;

namespace AdaDeep.Onnx.Tests.Model;

public class DiskFullDetectionTests
{
    [Fact]
    public void DotNetsPreallocationFailure_CountsAsDiskFull()
    {
        // What File.WriteAllBytes throws on Linux when the preallocation of a file does not fit (tmpfs, 64 KiB).
        var e = new IOException("Failed to create '/tmp/x/report.svg' with allocation size '39439' because the disk was full.");

        Assert.True(OnnxModel.IsDiskFull(e));
    }

    [Fact]
    public void Enospc_CountsAsDiskFull_AndOtherIoErrorsDoNot()
    {
        Assert.True(OnnxModel.IsDiskFull(new IOException("No space left on device : '/tmp/x'", 28)));
        Assert.False(OnnxModel.IsDiskFull(new IOException("Permission denied", 13)));
    }
}
