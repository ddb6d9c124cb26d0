using AdaDeep.Devices.Costs.Kernels;

namespace AdaDeep.Devices.Tests.Costs.Kernels;

public class KernelCalibratorTests
{
    private static readonly OperatorCostTable Known = new(3, new Dictionary<string, OperatorCost>
    {
        ["Conv"] = new(FixedUs: 1.5, UsPerMMac: 12, UsPerMBActivations: 80, UsPerMBWeights: 0, UsPerMLowered: 300),
        ["Relu"] = new(FixedUs: 0.3, UsPerMBActivations: 15),
        ["Gemm"] = new(FixedUs: 0.5, UsPerMMac: 50, UsPerMBWeights: 0),
    });

    /// <summary>Synthetic "measurements" of the real micro-model sweep, timed by a known table instead of a clock.</summary>
    private static List<KernelMeasurement> Synthetic(OperatorCostTable truth) =>
        KernelMicroModels.Sweep()
            .Select(m => (m.Name, Kernels: KernelCalibrator.Kernels(m)))
            .Where(m => m.Kernels.All(k => truth.Kernels.ContainsKey(k.Kind)))
            .Select(m => new KernelMeasurement(m.Name, KernelCalibrator.PredictUs(truth, m.Kernels), m.Kernels))
            .ToList();

    [Fact]
    public void Fit_recovers_the_table_that_produced_the_measurements()
    {
        var measurements = Synthetic(Known);
        Assert.True(measurements.Count > 40);

        var fitted = KernelCalibrator.Fit(measurements);

        Assert.Equal(Known.PerInferenceUs, fitted.PerInferenceUs, 3);
        foreach (var (kind, cost) in Known.Kernels)
        {
            for (var i = 0; i < OperatorCost.FieldNames.Count; i++)
            {
                // A Gemm of batch 1 reads each weight once per MAC: MACs and weight bytes are nearly collinear, so allow 1%.
                Assert.True(Math.Abs(cost.Coefficients[i] - fitted.Kernels[kind].Coefficients[i]) < 1e-2 * Math.Max(1, cost.Coefficients[i]),
                    $"{kind}.{OperatorCost.FieldNames[i]}: expected {cost.Coefficients[i]}, fitted {fitted.Kernels[kind].Coefficients[i]}");
            }
        }

        Assert.All(measurements, m => Assert.Equal(m.MeasuredUs, KernelCalibrator.PredictUs(fitted, m.Kernels), 2));
    }

    [Fact]
    public void Fit_never_returns_a_negative_coefficient_on_noisy_data()
    {
        var random = new Random(3);
        var noisy = Synthetic(Known).Select(m => m with { MeasuredUs = m.MeasuredUs * (0.7 + 0.6 * random.NextDouble()) }).ToList();

        var fitted = KernelCalibrator.Fit(noisy);

        Assert.True(fitted.PerInferenceUs >= 0);
        Assert.All(fitted.Kernels.Values.SelectMany(c => c.Coefficients), v => Assert.True(v >= 0));
    }

    [Fact]
    public void Terms_a_kind_cannot_use_stay_zero()
    {
        var fitted = KernelCalibrator.Fit(Synthetic(Known));

        Assert.Equal(0, fitted.Kernels["Relu"].UsPerMBWeights);
        Assert.Equal(0, fitted.Kernels["Relu"].UsPerMLowered);
        Assert.Equal(0, fitted.Kernels["Gemm"].UsPerMLowered);
    }

    [Fact]
    public void Measure_times_micro_models_with_the_meter()
    {
        var micro = KernelMicroModels.Overheads().Take(2).ToList();

        var measurements = KernelCalibrator.Measure(micro, runs: 3);

        Assert.Equal(micro.Select(m => m.Name), measurements.Select(m => m.Name));
        Assert.All(measurements, m => Assert.True(m.MeasuredUs > 0 && double.IsFinite(m.MeasuredUs)));
        Assert.Equal(new[] { 1, 2 }, measurements.Select(m => m.Kernels.Count));
    }

    [Fact]
    public void Fitting_nothing_is_an_error() =>
        Assert.Throws<ArgumentException>(() => KernelCalibrator.Fit(Array.Empty<KernelMeasurement>()));
}
