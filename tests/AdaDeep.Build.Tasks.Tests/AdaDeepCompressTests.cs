using AdaDeep.Engine.Cache;
using Microsoft.Build.Framework;

namespace AdaDeep.Build.Tasks.Tests;

public class AdaDeepCompressTests
{
    [Fact]
    public void Miss_runs_the_tool_publishes_and_delivers_then_a_hit_starts_no_process()
    {
        using var scratch = new TaskScratch();
        var first = scratch.Compress(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")));

        Assert.True(first.Execute(), scratch.Engine.Log);

        Assert.Equal(1, scratch.ToolRuns);
        var output = Assert.Single(first.CompressedModels);
        var expected = Path.Combine(scratch.AdaDeepOutputs, "sony-sw3", "AdaDeep.mlp.onnx");
        Assert.Equal(expected, output.ItemSpec);
        Assert.Equal("AdaDeep.mlp.onnx", output.GetMetadata("LogicalName"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch.Project, "models", "mlp.onnx")).Concat(FakeTool.Suffix), File.ReadAllBytes(expected));
        Assert.True(File.Exists(Path.ChangeExtension(expected, ".result.json")));
        Assert.StartsWith("# fake report", File.ReadAllText(Path.ChangeExtension(expected, ".report.md")));
        Assert.Contains(scratch.Engine.Messages, m => m.Importance == MessageImportance.High && (m.Message ?? "").Contains("[cache miss") && (m.Message ?? "").Contains("budget 10 ms"));
        Assert.Contains(scratch.Engine.Messages, m => m.Importance == MessageImportance.Low && (m.Message ?? "").Contains("100% done"));
        var relayed = Assert.Single(scratch.Engine.Warnings);
        Assert.Equal("ADA4099", relayed.Code);
        Assert.Equal(Path.Combine(scratch.Project, "models", "mlp.onnx"), relayed.File);
        var entry = Assert.Single(CacheStore.Open(scratch.CacheRoot).List());
        Assert.Equal(CacheKey.HashFile(expected), entry.Manifest.ModelSha256);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(expected)!, ".work-*"));

        // Same inputs in a fresh obj folder: a hit, copied from the cache; the tool is not started.
        Directory.Delete(scratch.AdaDeepOutputs, recursive: true);
        var second = scratch.Compress(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10")));
        Assert.True(second.Execute(), scratch.Engine.Log);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Equal(0, second.ToolRuns);
        Assert.True(File.Exists(expected));
        Assert.Contains(scratch.Engine.Messages, m => m.Importance == MessageImportance.High && (m.Message ?? "").Contains("[cache hit"));
        // The cached run's warning is repeated, as a compiler repeats its own.
        Assert.Equal("ADA4099", Assert.Single(scratch.Engine.Warnings).Code);
    }

    [Fact]
    public void Progress_and_summary_are_structured_events_with_the_classic_text_and_importance()
    {
        using var scratch = new TaskScratch();
        Assert.True(scratch.Compress(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10"))).Execute(), scratch.Engine.Log);

        var progress = scratch.Engine.Messages.OfType<ExtendedBuildMessageEventArgs>().Where(m => m.ExtendedType == StructuredEvents.ProgressType).ToList();
        Assert.Equal(new[] { "load", "done" }, progress.Select(m => m.ExtendedMetadata!["stage"]));
        Assert.Equal(new[] { "10", "100" }, progress.Select(m => m.ExtendedMetadata!["percent"]));
        Assert.All(progress, m =>
        {
            Assert.Equal(MessageImportance.Low, m.Importance);
            Assert.Equal("mlp.onnx", m.ExtendedMetadata!["model"]);
            Assert.Equal("sony-sw3", m.ExtendedMetadata["device"]);
            Assert.Equal(nameof(AdaDeepCompress), m.SenderName);
        });
        // The text the classic logger prints, as before the events had metadata.
        Assert.Equal("AdaDeep: mlp.onnx (sony-sw3) 100% done: done in 0.1 s", progress[1].Message);

        var summary = Assert.Single(scratch.Engine.Messages.OfType<ExtendedBuildMessageEventArgs>(), m => m.ExtendedType == StructuredEvents.SummaryType);
        Assert.Equal(MessageImportance.High, summary.Importance);
        Assert.StartsWith("AdaDeep: mlp.onnx → sony-sw3:", summary.Message);
        Assert.Equal(ResultReporter.Miss, summary.ExtendedMetadata!["outcome"]);
        Assert.Equal("true", summary.ExtendedMetadata["budgetsMet"]);
    }

    [Theory]
    [InlineData("LatencyBudgetMs", "5")]
    [InlineData("Device", "xiaomi-mi6")]
    [InlineData("Seed", "2")]
    [InlineData("Dataset", "data")]
    public void Changing_a_setting_misses_the_cache(string name, string value)
    {
        using var scratch = new TaskScratch();
        Assert.True(scratch.Compress(TaskScratch.Model(metadata: ("LatencyBudgetMs", "10"))).Execute(), scratch.Engine.Log);
        Assert.True(scratch.Compress(TaskScratch.Model(metadata: new[] { ("LatencyBudgetMs", "10"), (name, value) })).Execute(), scratch.Engine.Log);
        Assert.Equal(2, scratch.ToolRuns);
        Assert.Equal(2, CacheStore.Open(scratch.CacheRoot).List().Count);
    }

    [Fact]
    public void Changing_the_model_bytes_misses_the_cache()
    {
        using var scratch = new TaskScratch();
        Assert.True(scratch.Compress(TaskScratch.Model()).Execute(), scratch.Engine.Log);
        AdaDeep.TestUtilities.TinyModels.LeNetLike().Save(Path.Combine(scratch.Project, "models", "mlp.onnx"));
        Assert.True(scratch.Compress(TaskScratch.Model()).Execute(), scratch.Engine.Log);
        Assert.Equal(2, scratch.ToolRuns);
    }

    [Fact]
    public void Tool_diagnostics_become_msbuild_errors_and_nothing_is_delivered()
    {
        using var scratch = new TaskScratch(FakeTool.Mode.FailWithDiagnostic);
        var task = scratch.Compress(TaskScratch.Model());

        Assert.False(task.Execute());

        var error = Assert.Single(scratch.Engine.Errors);
        Assert.Equal("ADA2001", error.Code);
        Assert.Equal("unknown device 'sony-sw3'", error.Message);
        Assert.EndsWith("mlp.onnx", error.File);
        Assert.Empty(task.CompressedModels);
        Assert.False(File.Exists(Path.Combine(scratch.AdaDeepOutputs, "sony-sw3", "AdaDeep.mlp.onnx")));
        Assert.Empty(CacheStore.Open(scratch.CacheRoot).List());
    }

    [Fact]
    public void Tool_crash_without_a_diagnostic_reports_the_exit_code_and_stderr()
    {
        using var scratch = new TaskScratch(FakeTool.Mode.Crash);
        var task = scratch.Compress(TaskScratch.Model());
        Assert.False(task.Execute());
        var error = Assert.Single(scratch.Engine.Errors);
        Assert.Equal(BuildErrorCodes.ToolFailed, error.Code);
        Assert.Contains("exited with code 70 (internal error)", error.Message);
        Assert.Contains("boom", error.Message);
    }

    [Fact]
    public void Result_whose_hash_does_not_match_the_model_is_rejected()
    {
        using var scratch = new TaskScratch(FakeTool.Mode.WrongHash);
        var task = scratch.Compress(TaskScratch.Model());
        Assert.False(task.Execute());
        Assert.Equal(BuildErrorCodes.ToolResultInvalid, Assert.Single(scratch.Engine.Errors).Code);
        Assert.Empty(CacheStore.Open(scratch.CacheRoot).List());
    }

    [Fact]
    public void Missed_budgets_warn_by_default_and_fail_when_asked()
    {
        using var scratch = new TaskScratch(FakeTool.Mode.MissBudgets);
        var lenient = scratch.Compress(TaskScratch.Model());
        Assert.True(lenient.Execute(), scratch.Engine.Log);
        Assert.Contains(scratch.Engine.Warnings, w => w.Code == BuildErrorCodes.BudgetsNotMet);

        var strict = scratch.Compress(TaskScratch.Model());
        strict.FailOnBudgetMiss = true;
        Assert.False(strict.Execute());
        Assert.Equal(BuildErrorCodes.BudgetsNotMet, Assert.Single(scratch.Engine.Errors).Code);
        // No output is left behind that would let the next incremental build skip the error.
        Assert.False(File.Exists(Path.Combine(scratch.AdaDeepOutputs, "sony-sw3", "AdaDeep.mlp.onnx")));
        Assert.Equal(1, scratch.ToolRuns);
    }

    [Fact]
    public async Task Cancel_kills_the_tool()
    {
        using var scratch = new TaskScratch(FakeTool.Mode.Hang);
        var task = scratch.Compress(TaskScratch.Model());
        var run = Task.Run(task.Execute);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (scratch.ToolRuns == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        task.Cancel();
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.Same(run, finished);
        Assert.False(await run);
        Assert.Empty(task.CompressedModels);
        Assert.False(File.Exists(Path.Combine(scratch.AdaDeepOutputs, "sony-sw3", "AdaDeep.mlp.onnx")));
    }

    [Fact]
    public async Task Parallel_builds_of_one_model_run_the_tool_once()
    {
        using var scratch = new TaskScratch(FakeTool.Mode.Slow);
        var first = scratch.Compress(TaskScratch.Model());
        var firstEngine = scratch.Engine;
        var second = scratch.Compress(TaskScratch.Model());
        var secondEngine = scratch.Engine;
        // Two projects (two obj folders) sharing one cache, built at the same time.
        second.IntermediateDirectory = Path.Combine("obj2", "Debug", "net10.0");

        var results = await Task.WhenAll(Task.Run(first.Execute), Task.Run(second.Execute));

        Assert.All(results, Assert.True);
        Assert.Equal(1, scratch.ToolRuns);
        Assert.Equal(1, first.ToolRuns + second.ToolRuns);
        var messages = firstEngine.Messages.Concat(secondEngine.Messages).Select(m => m.Message ?? "").ToList();
        Assert.Single(messages, m => m.Contains("[cache miss"));
        Assert.Single(messages, m => m.Contains("[cache hit"));
        Assert.True(File.Exists(Path.Combine(scratch.Project, "obj2", "Debug", "net10.0", "adadeep", "sony-sw3", "AdaDeep.mlp.onnx")));
    }

    [Fact]
    public void Missing_tool_is_reported()
    {
        using var scratch = new TaskScratch();
        var task = scratch.Compress(TaskScratch.Model());
        task.ToolPath = Path.Combine(scratch.Root, "nowhere", "adadeep.dll");
        Assert.False(task.Execute());
        Assert.Equal(BuildErrorCodes.ToolNotFound, Assert.Single(scratch.Engine.Errors).Code);
    }

    [Fact]
    public void Unusable_cache_folder_warns_and_still_compresses()
    {
        using var scratch = new TaskScratch();
        var blocker = Path.Combine(scratch.Root, "file-not-folder");
        File.WriteAllText(blocker, "");
        var task = scratch.Compress(TaskScratch.Model());
        task.CacheDirectory = Path.Combine(blocker, "cache");
        Assert.True(task.Execute(), scratch.Engine.Log);
        Assert.Contains(scratch.Engine.Warnings, w => w.Code == CacheStore.CacheUnavailableCode);
        Assert.Single(task.CompressedModels);
    }

    [Fact]
    public void Tool_is_told_to_leave_the_cache_to_the_task()
    {
        using var scratch = new TaskScratch();
        Assert.True(scratch.Compress(TaskScratch.Model()).Execute(), scratch.Engine.Log);
        Assert.EndsWith("--progress lines --no-cache", Assert.Single(FakeTool.Runs(scratch.ToolLog)));
        // The one entry is the task's: model, result and the report the tool wrote.
        var entry = Assert.Single(CacheStore.Open(scratch.CacheRoot).List());
        Assert.Equal(new[] { "model.onnx", "report.md", "result.json" }, entry.Manifest.FileSha256.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }
}
