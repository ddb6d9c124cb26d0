using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>An output folder on a full disk (a tiny tmpfs) fails with ADA5004 and leaves no partial file there.</summary>
public class DiskFullTests : IClassFixture<PipelineFixture>
{
    private readonly PipelineFixture _fixture;

    public DiskFullTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    // The staged files of the fixture's run take 17 pages (68 KiB) on tmpfs and the copies into place as many again:
    // 4 KiB fails on the first file, 64 KiB while staging, 96 KiB while copying the reports into place, 128 KiB on the
    // model, the last file placed.
    [MountTheory]
    [InlineData(4 * 1024)]
    [InlineData(64 * 1024)]
    [InlineData(96 * 1024)]
    [InlineData(128 * 1024)]
    public void OutputOnAFullDisk_FailsWithADA5004_AndLeavesNoPartialFiles(int diskBytes)
    {
        var folder = _fixture.NewFolder("full");
        var disk = Directory.CreateDirectory(Path.Combine(folder, "disk")).FullName;
        var request = _fixture.Request(folder) with
        {
            OutputPath = Path.Combine(disk, "lenet.sony-sw3.onnx"),
            ReportPath = Path.Combine(disk, "lenet.report"),
            ResultJsonPath = Path.Combine(disk, "result.json"),
        };

        using (Mounts.Tmpfs(disk, diskBytes))
        {
            var error = Assert.Throws<AdaDeepException>(() => new CompressPipeline().Run(request));

            Assert.True(error.Code == ErrorCodes.DiskFull, $"{error.Code}: {error.Message} ({error.InnerException?.GetType().Name}: {error.InnerException?.Message})");
            Assert.Equal(Path.GetFullPath(request.OutputPath), error.File);
            Assert.Empty(Directory.EnumerateFileSystemEntries(disk));
        }

        // Nothing reached the cache either: the output was not complete.
        Assert.Empty(CacheStore.Open(request.CacheDir).List());
    }
}
