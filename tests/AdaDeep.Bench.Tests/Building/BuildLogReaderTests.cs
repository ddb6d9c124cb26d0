using AdaDeep.Bench.Building;

namespace AdaDeep.Bench.Tests.Building;

public class BuildLogReaderTests
{
    private const string Target = "_AdaDeepCompress";

    [Fact]
    public void Outcome_UpToDateSkip()
    {
        // As a detailed file logger writes it on a no-op rebuild of sample-app.
        var log = """
                 1>Target "_AdaDeepCompress" in file "/tmp/p/build/AdaDeep.Build.targets" from project "/tmp/app/SampleApp.csproj" (target "AdaDeepCompress" depends on it):
                   Skipping target "_AdaDeepCompress" because all output files are up-to-date with respect to the input files.
                   Input files:
            """;

        Assert.Equal(TargetOutcome.SkippedUpToDate, BuildLogReader.Outcome(log, Target));
    }

    [Fact]
    public void Outcome_BuiltCompletely()
    {
        var log = """
                 1>Target "_AdaDeepCompress" in file "/tmp/p/build/AdaDeep.Build.targets":
                   Building target "_AdaDeepCompress" completely.
                   Output file "/tmp/app/obj/Release/net10.0/adadeep/sony-sw3/AdaDeep.mnist-8.onnx" does not exist.
                 1>Done building target "_AdaDeepCompress" in project "SampleApp.csproj".
            """;

        Assert.Equal(TargetOutcome.Ran, BuildLogReader.Outcome(log, Target));
    }

    [Fact]
    public void Outcome_FalseCondition()
    {
        var log = "Target \"_AdaDeepCompress\" skipped, due to false condition; ('$(_AdaDeepCompressing)' == 'true') was evaluated as ('false' == 'true').";

        Assert.Equal(TargetOutcome.SkippedFalseCondition, BuildLogReader.Outcome(log, Target));
    }

    [Fact]
    public void Outcome_AnotherTargetsLinesDoNotCount()
    {
        var log = """
            Skipping target "_AdaDeepCompressOther" because all output files are up-to-date with respect to the input files.
            Done building target "_AdaDeepPrepare" in project "SampleApp.csproj".
            """;

        Assert.Equal(TargetOutcome.NotRun, BuildLogReader.Outcome(log, Target));
    }

    [Fact]
    public void CacheOutcomes_CountsHitsAndMissesAcrossNodes()
    {
        var log = """
              AdaDeep: model.onnx → sony-sw3: 25.8 KB → 11.5 KB, 394.6 k MACs, accuracy 0.9783, P1+W3 [cache hit, 0.1 s]
            1>  AdaDeep: model.onnx → xiaomi-mi6: 25.8 KB → 9.0 KB, 394.6 k MACs, accuracy 0.9790, P1+Q8W [cache miss, 47.4 s]
              AdaDeep: model.onnx → firefly-rk3399: 25.8 KB → 9.0 KB [cache hit, 0.2 s]
              AdaDeep: /tmp/models/mnist-8/model.onnx for sony-sw3: cache key ac9250c6
            """;

        Assert.Equal((2, 1), BuildLogReader.CacheOutcomes(log));
    }
}
