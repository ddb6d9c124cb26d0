using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Evaluation;

/// <summary>The runner feeds every runtime input (issue 13.1): per-sample state tensors, int64 scalars, fp16 inputs.</summary>
public class MultiInputRunnerTests
{
    private static Dataset Audio(int count) => new(TinyModels.Weights(count * 16, 21, 1f), new[] { 16 }, null, "audio");

    [Fact]
    public void Run_WithoutTheOtherInputs_IsInputMissingNamingThem()
    {
        using var runner = new OrtModelRunner(RealWorldTinyModels.ThreeInputs());

        var e = Assert.Throws<AdaDeepException>(() => runner.Run(Audio(3)));

        Assert.Equal(ErrorCodes.InputMissing, e.Code);
        Assert.Contains("'state'", e.Message);
    }

    [Fact]
    public void Run_PerSampleStates_GiveEachSampleItsOwnState_AndConstantsBatch()
    {
        var states = TinyModels.Weights(5 * 8, 22, 1f).Select(v => (double)v).ToArray();
        var data = Audio(5)
            .WithFeed(new InputFeed("state", new[] { 2, 1, 4 }, states, PerSample: true, "test"))
            .WithFeed(InputFeed.Constant("sr", Array.Empty<int>(), new[] { 16000.0 }, "test"));
        using var runner = new OrtModelRunner(RealWorldTinyModels.ThreeInputs());

        var all = runner.Run(data);
        var third = runner.Run(data.Subset(new[] { 2 }));

        Assert.Equal(5, all.Count);
        Assert.Equal(third.Values, all.Sample(2).ToArray());
        var sameState = data.WithFeed(InputFeed.Constant("state", new[] { 2, 1, 4 }, states[16..24], "test"));
        Assert.Equal(third.Values, runner.Run(sameState).Sample(2).ToArray());
        Assert.NotEqual(all.Sample(0).ToArray(), runner.Run(sameState).Sample(0).ToArray());
    }

    [Fact]
    public void Run_Float16Model_FeedsConvertedInputs_AndReadsFloat16Outputs()
    {
        using var runner = new OrtModelRunner(RealWorldTinyModels.Float16Cnn());

        var outputs = runner.Run(new Dataset(TinyModels.Weights(4 * 64, 23, 1f), new[] { 1, 8, 8 }, null, "images"));

        Assert.Equal(4, outputs.Count);
        Assert.Equal(new[] { 3 }, outputs.SampleShape);
        Assert.All(outputs.Values, v => Assert.True(float.IsFinite(v)));
    }
}
