using AdaDeep.Fuzz;
using AdaDeep.TestUtilities;
using Xunit.Abstractions;

namespace AdaDeep.Engine.Tests.Reliability;

/// <summary>
/// The fuzzer's core on each loader with a fixed seed and a fixed number of inputs, so every CI run feeds the same
/// 300 damaged files per loader (a few seconds each): only acceptance or a documented AdaDeepException naming the
/// file, no other exception, no broken invariant, no hang, no runaway allocation. Longer runs: docs/reliability.md.
/// </summary>
public sealed class BoundedFuzzTests : IDisposable
{
    public const int Seed = 20260509;
    public const int Inputs = 300;

    private readonly ITestOutputHelper output;
    private readonly string work = Path.Combine(Path.GetTempPath(), "adadeep-fuzz-test-" + Guid.NewGuid().ToString("N"));

    public BoundedFuzzTests(ITestOutputHelper output) => this.output = output;

    public void Dispose()
    {
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Theory]
    [InlineData("onnx")]
    [InlineData("yaml")]
    [InlineData("data")]
    public void Three_hundred_mutated_inputs_are_accepted_or_rejected_with_a_documented_code(string targetName)
    {
        var target = FuzzTargets.Create(targetName, RepoPaths.Root);
        // The timeout only tells a hang from a slow machine; no input comes near it.
        var settings = new FuzzSettings(Seed, Duration: null, MaxInputs: Inputs, InputTimeout: TimeSpan.FromSeconds(60),
            FuzzSettings.DefaultMaxAllocatedBytes, Path.Combine(work, "inputs"), Path.Combine(work, "failures"));

        var report = new FuzzRunner(target, settings).Run();
        output.WriteLine(report.ToString());

        Assert.True(report.FailedInputs == 0, report.ToString());
        Assert.Equal(Inputs, report.Inputs);
        Assert.True(report.Accepted >= target.Seeds.Count, report.ToString());
        Assert.True(report.Rejected > Inputs / 4, report.ToString()); // the mutations do damage
        Assert.All(report.RejectedByCode.Keys, code => Assert.Contains(code, target.DocumentedCodes));
    }
}
