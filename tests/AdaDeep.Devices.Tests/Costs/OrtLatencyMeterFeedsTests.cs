using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Devices.Tests.Costs;

/// <summary>The meter feeds the given values by input name (the run's real data), and a model ONNX Runtime cannot
/// run on them is ADA1101, not an internal error.</summary>
public class OrtLatencyMeterFeedsTests
{
    /// <summary>y = Gather(x [1,4], idx int64 [1], axis 1).</summary>
    private static byte[] GatherByInput()
    {
        var b = new GraphBuilder("gather_input").Input("x", 1, 4).Output("y", 1, 1);
        b.Graph.Input.Add(GraphBuilder.TensorInfo("idx", TensorData.Int64, new long?[] { 1 }));
        b.Node("Gather", new[] { "x", "idx" }, output: "y", configure: n => n.SetInt("axis", 1), name: "gather");
        return b.ToModel().ToBytes();
    }

    [Fact]
    public void MeasureMs_FeedsTheGivenValues()
    {
        var feeds = new Dictionary<string, InputTensor> { ["idx"] = new(new[] { 3.0 }, new long[] { 1 }) };

        Assert.True(OrtLatencyMeter.MeasureMs(GatherByInput(), warmup: 0, runs: 1, feeds: feeds) > 0);
    }

    [Fact]
    public void MeasureMs_OnValuesTheModelCannotRun_IsModelRunFailedNamingTheInputs()
    {
        var feeds = new Dictionary<string, InputTensor> { ["idx"] = new(new[] { 9.0 }, new long[] { 1 }) };

        var e = Assert.Throws<AdaDeepException>(() => OrtLatencyMeter.MeasureMs(GatherByInput(), warmup: 0, runs: 1, feeds: feeds));

        Assert.Equal(ErrorCodes.ModelRunFailed, e.Code);
        Assert.Contains("idx [1]", e.Message);
    }
}
