using Microsoft.Build.Utilities;

namespace AdaDeep.Build.Tasks.Tests;

public class AdaDeepPrepareModelsTests
{
    private static AdaDeepPrepareModels Prepare(TaskScratch scratch, MockBuildEngine engine, params TaskItem[] models) => new()
    {
        BuildEngine = engine,
        Models = models,
        ProjectDirectory = scratch.Project,
        IntermediateDirectory = "obj/Debug/net10.0/",
        ToolPath = scratch.ToolPath,
    };

    [Fact]
    public void Plans_outputs_and_writes_the_stamp_only_when_settings_change()
    {
        using var scratch = new TaskScratch();
        var engine = new MockBuildEngine();
        var task = Prepare(scratch, engine, TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")));
        Assert.True(task.Execute(), engine.Log);

        var item = Assert.Single(task.PreparedModels);
        var output = Path.Combine(scratch.AdaDeepOutputs, "sony-sw3", "AdaDeep.mlp.onnx");
        Assert.Equal(output, item.GetMetadata("OutputFile"));
        Assert.Equal("AdaDeep.mlp.onnx", item.GetMetadata("LogicalName"));
        Assert.Equal("sony-sw3", item.GetMetadata("DeviceFolder"));
        Assert.Equal("10", item.GetMetadata("LatencyBudgetMs"));
        var stamp = item.GetMetadata("StampFile");
        Assert.Contains("latency_ms=10.000000000", File.ReadAllText(stamp));

        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(stamp, written);
        Assert.True(Prepare(scratch, engine, TaskScratch.Model(metadata: ("LatencyBudgetMs", "10.0"))).Execute());
        Assert.Equal(written, File.GetLastWriteTimeUtc(stamp));

        Assert.True(Prepare(scratch, engine, TaskScratch.Model(metadata: ("LatencyBudgetMs", "12"))).Execute());
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(stamp));
        Assert.Contains("latency_ms=12.000000000", File.ReadAllText(stamp));
    }

    [Fact]
    public void Disabled_compression_still_validates_but_writes_nothing()
    {
        using var scratch = new TaskScratch();
        var engine = new MockBuildEngine();
        var task = Prepare(scratch, engine, TaskScratch.Model());
        task.WriteStamps = false;
        Assert.True(task.Execute(), engine.Log);
        Assert.Single(task.PreparedModels);
        Assert.False(Directory.Exists(scratch.AdaDeepOutputs));

        var bad = Prepare(scratch, engine, TaskScratch.Model(metadata: ("MinAccuracy", "2")));
        bad.WriteStamps = false;
        Assert.False(bad.Execute());
        Assert.Empty(bad.PreparedModels);
    }
}
