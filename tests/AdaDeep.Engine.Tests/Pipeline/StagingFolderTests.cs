using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>Staging folders carry their owner's process id; those of processes that are gone are removed.</summary>
public sealed class StagingFolderTests : IClassFixture<PipelineFixture>
{
    // Above Linux's largest pid_max (2^22) and Windows' practical range: never a running process.
    private const int DeadPid = 0x3FFFFFF0;

    private readonly PipelineFixture _fixture;

    public StagingFolderTests(PipelineFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData(".adadeep-staging-1234-0123abcd", 1234)]
    [InlineData(".adadeep-staging-0123456789abcdef0123456789abcdef", null)] // an older engine's name: no owner
    [InlineData(".adadeep-staging--5-x", null)]
    [InlineData(".adadeep-staging-0-x", null)]
    [InlineData("other-1234-x", null)]
    public void OwnerOf_ReadsTheProcessIdFromTheName(string name, int? expected) => Assert.Equal(expected, StagingFolder.OwnerOf(name));

    [Fact]
    public void NewPath_NamesThisProcess_AndIsNotCreated()
    {
        var folder = _fixture.NewFolder("staging-new");

        var path = StagingFolder.NewPath(folder);

        Assert.Equal(Environment.ProcessId, StagingFolder.OwnerOf(Path.GetFileName(path)));
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void RemoveAbandoned_DeletesDeadOwnersFolders_AndKeepsLiveAndUnknownOnes()
    {
        var folder = _fixture.NewFolder("staging-sweep");
        var dead = Stage(folder, $".adadeep-staging-{DeadPid}-abc");
        var live = Stage(folder, $".adadeep-staging-{Environment.ProcessId}-abc");
        var older = Stage(folder, ".adadeep-staging-0123456789abcdef0123456789abcdef");
        var unrelated = Stage(folder, "keep-me");

        StagingFolder.RemoveAbandoned(folder);

        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(older));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public void ARun_RemovesTheStagingFolderAKilledRunLeftBesideItsOutput()
    {
        var folder = _fixture.NewFolder("staging-run");
        var request = _fixture.Request(folder);
        var leftOver = Stage(Path.GetDirectoryName(request.OutputPath)!, $".adadeep-staging-{DeadPid}-killed");

        new CompressPipeline().Run(request);

        Assert.False(Directory.Exists(leftOver));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(request.OutputPath)!, StagingFolder.Prefix + "*"));
    }

    private static string Stage(string parent, string name)
    {
        var path = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        File.WriteAllText(Path.Combine(path, "model.onnx"), "partial");
        return path;
    }
}
