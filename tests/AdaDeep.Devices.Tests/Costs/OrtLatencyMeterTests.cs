using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;

namespace AdaDeep.Devices.Tests.Costs;

public class OrtLatencyMeterTests
{
    [Fact]
    public void Measures_a_positive_latency_for_the_tiny_mlp_with_a_symbolic_batch()
    {
        var ms = OrtLatencyMeter.MeasureMs(TinyModels.Mlp().ToBytes());

        Assert.True(ms > 0 && double.IsFinite(ms), $"measured {ms} ms");
    }

    [Fact]
    public void Measures_a_cnn_with_several_threads()
    {
        var ms = OrtLatencyMeter.MeasureMs(TinyModels.LeNetLike().ToBytes(), warmup: 1, runs: 3, threads: 2);
        Assert.True(ms > 0 && double.IsFinite(ms), $"measured {ms} ms");
    }

    [Theory]
    [InlineData(-1, 15, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(3, 15, 0)]
    public void Rejects_meaningless_arguments(int warmup, int runs, int threads) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OrtLatencyMeter.MeasureMs(TinyModels.Mlp().ToBytes(), warmup, runs, threads));

    [Fact]
    public void Compares_two_models_and_returns_each_ones_latency_in_its_own_slot()
    {
        var (mlp, lenet) = OrtLatencyMeter.CompareMs(TinyModels.Mlp().ToBytes(), TinyModels.LeNetLike().ToBytes(), rounds: 3, warmup: 1, runs: 3);

        Assert.True(mlp > 0 && double.IsFinite(mlp), $"first {mlp} ms");
        Assert.True(lenet > 0 && double.IsFinite(lenet), $"second {lenet} ms");
    }

    [Fact]
    public void A_comparison_needs_a_round() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OrtLatencyMeter.CompareMs(TinyModels.Mlp().ToBytes(), TinyModels.Mlp().ToBytes(), rounds: 0));

    [Fact]
    public void A_comparison_with_bytes_that_are_not_a_model_is_a_model_error()
    {
        var error = Assert.Throws<AdaDeepException>(() => OrtLatencyMeter.CompareMs(TinyModels.Mlp().ToBytes(), new byte[] { 1, 2, 3 }, rounds: 1));
        Assert.Equal(ErrorCodes.ModelRuntimeRefused, error.Code);
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_a_model_error()
    {
        var error = Assert.Throws<AdaDeepException>(() => OrtLatencyMeter.MeasureMs(new byte[] { 1, 2, 3, 4, 5 }));
        Assert.Equal(ErrorCodes.ModelRuntimeRefused, error.Code);
    }

    [Theory]
    [InlineData(0, 0.0, true)] // below the minimum count
    [InlineData(14, 100.0, true)] // below the minimum count, however long it took
    [InlineData(15, 100.0, false)] // minimum count and time reached
    [InlineData(15, 9.9, true)] // a fast model: keep timing until the time floor
    [InlineData(400, 9.9, true)]
    [InlineData(401, 9.9, false)] // ... but never past the maximum
    public void Runs_until_the_count_and_the_time_floor_are_reached_but_not_past_the_maximum(int done, double spentMs, bool more) =>
        Assert.Equal(more, OrtLatencyMeter.NeedsMore(done, spentMs, minimum: 15, minimumMs: OrtLatencyMeter.MinTimedMs, maximum: OrtLatencyMeter.MaxRuns));

    [Fact]
    public void A_minimum_above_the_maximum_wins() =>
        Assert.True(OrtLatencyMeter.NeedsMore(500, 1000, minimum: 600, minimumMs: 10, maximum: 401));

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    [InlineData(new[] { 7.0 }, 7.0)]
    public void Median_is_the_middle_value(double[] values, double median) =>
        Assert.Equal(median, OrtLatencyMeter.Median(values));

    [Fact]
    public void The_host_profile_measures_latency_and_other_profiles_do_not()
    {
        var model = TinyModels.Mlp();
        var analysis = new ModelAnalysis(
            new[]
            {
                new LayerInfo("fc1", "Gemm", LayerKind.FullyConnected, new long[]?[] { new long[] { 1, 4 }, new long[] { 8, 4 }, new long[] { 8 } }, new long[]?[] { new long[] { 1, 8 } }, 40, 160, 8, 32, 0),
                new LayerInfo("relu1", "Relu", LayerKind.Activation, new long[]?[] { new long[] { 1, 8 } }, new long[]?[] { new long[] { 1, 8 } }, 0, 0, 8, 0, 1),
                new LayerInfo("fc2", "Gemm", LayerKind.FullyConnected, new long[]?[] { new long[] { 1, 8 }, new long[] { 3, 8 }, new long[] { 3 } }, new long[]?[] { new long[] { 1, 3 } }, 27, 108, 3, 24, 2),
            },
            new Dictionary<string, long[]>(),
            model.ToBytes().Length);

        var host = LatencyEstimator.Estimate(analysis, DeviceCatalog.Default.Resolve("host"), model.ToBytes());
        var watch = LatencyEstimator.Estimate(analysis, DeviceCatalog.Default.Resolve("sony-sw3"), model.ToBytes());

        Assert.NotNull(host.MeasuredLatencyMs);
        Assert.True(host.MeasuredLatencyMs > 0);
        Assert.True(host.LatencyMs > 0);
        Assert.Null(watch.MeasuredLatencyMs);
        Assert.Equal(56, watch.Macs);
    }
}
