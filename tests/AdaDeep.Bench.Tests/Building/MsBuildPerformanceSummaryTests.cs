using AdaDeep.Bench.Building;

namespace AdaDeep.Bench.Tests.Building;

public class MsBuildPerformanceSummaryTests
{
    // Trimmed from a real `dotnet build -v:m -clp:PerformanceSummary` of sample-app (cache miss).
    private const string Log = """
          AdaDeep: model.onnx → sony-sw3: 25.8 KB → 11.5 KB, 394.6 k MACs, latency 0.326 ms (budget 0.35 ms), energy 0.231 mJ, accuracy 0.9783, P1+W3 [cache miss, 47.4 s]
          SampleApp -> /tmp/app/bin/Release/net10.0/AdaDeep.SampleApp.dll

        Project Evaluation Performance Summary:
              412 ms  /tmp/app/SampleApp.csproj                  1 calls

        Project Performance Summary:
            55123 ms  /tmp/app/SampleApp.csproj                  1 calls

        Target Performance Summary:
                0 ms  AdaDeepCompress                            1 calls
                0 ms  AdaDeep_BeforeCompress                     1 calls
                6 ms  _AdaDeepResolveTool                        1 calls
                9 ms  _AdaDeepPrepare                            1 calls
             5654 ms  CoreCompile                                1 calls
            47452 ms  _AdaDeepCompress                           1 calls

        Task Performance Summary:
                1 ms  Microsoft.SourceLink.Common.SourceLinkHasSingleProvider   1 calls
                5 ms  AdaDeepResolveTool                         1 calls
             1758 ms  Copy                                       4 calls
            47451 ms  AdaDeepCompress                            1 calls

        Build succeeded.
            0 Warning(s)
            0 Error(s)
        """;

    [Fact]
    public void Parse_KeepsTargetsAndTasksApart()
    {
        var summary = MsBuildPerformanceSummary.Parse(Log);

        Assert.True(summary.Found);
        Assert.Equal(0, summary.Targets["AdaDeepCompress"].Milliseconds);
        Assert.Equal(47451, summary.Tasks["AdaDeepCompress"].Milliseconds);
        Assert.Equal(47452, summary.TargetMs("_AdaDeepCompress"));
        Assert.Equal(4, summary.Tasks["Copy"].Calls);
        Assert.Equal(6, summary.Targets.Count);
    }

    [Fact]
    public void Parse_IgnoresTheProjectSummariesBeforeTheTargets()
    {
        var summary = MsBuildPerformanceSummary.Parse(Log);

        Assert.DoesNotContain(summary.Targets.Keys, k => k.Contains("SampleApp.csproj", StringComparison.Ordinal));
        Assert.DoesNotContain(summary.Tasks.Keys, k => k.Contains("Build succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public void TargetsMs_SumsEveryTargetWithThePrefixes()
    {
        var summary = MsBuildPerformanceSummary.Parse(Log);

        Assert.Equal(0 + 0 + 6 + 9 + 47452, summary.TargetsMs("_AdaDeep", "AdaDeep"));
    }

    [Fact]
    public void TargetMs_IsNullForATargetThatDidNotRun()
    {
        Assert.Null(MsBuildPerformanceSummary.Parse(Log).TargetMs("_AdaDeepEmbed"));
    }

    [Fact]
    public void Parse_WithoutASummary_FindsNothing()
    {
        var summary = MsBuildPerformanceSummary.Parse("Build succeeded.\n    0 Warning(s)\n");

        Assert.False(summary.Found);
        Assert.Empty(summary.Tasks);
    }

    [Fact]
    public void Parse_AddsUpANameThatRepeats()
    {
        var twice = "Target Performance Summary:\n   10 ms  CoreCompile   1 calls\n\nTarget Performance Summary:\n   15 ms  CoreCompile   2 calls\r\n";

        var entry = MsBuildPerformanceSummary.Parse(twice).Targets["CoreCompile"];

        Assert.Equal(25, entry.Milliseconds);
        Assert.Equal(3, entry.Calls);
    }
}
