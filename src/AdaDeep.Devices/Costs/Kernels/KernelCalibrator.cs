using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>
/// Measures the kernel costs of this machine: times every <see cref="KernelMicroModels"/> model with
/// <see cref="OrtLatencyMeter"/> (the benchmark's own settings), splits each into the kernels ORT runs with
/// <see cref="KernelClassifier"/> (the same code that predicts real models), and fits
/// measured = perInference + Σ kernels OperatorCost(kind)·terms   by non-negative least squares on relative error
/// (each row divided by its measurement, so a 5 µs model weighs as much as a 5 ms one).
/// Only synthetic micro-models enter the fit: the real models the latency benchmark evaluates stay held out.
/// </summary>
public static class KernelCalibrator
{
    /// <summary>Which coefficients each kind may use (the others stay 0): weights and im2col only where they exist.</summary>
    public static bool[] UsedTerms(string kind) => kind.Split('.')[0] switch
    {
        "Conv" => new[] { true, true, true, true, true },
        "Gemm" or "MatMul" or "MatMulNBits" => new[] { true, true, true, true, false },
        "DequantizeLinear" or "QuantizeLinear" => new[] { true, false, true, false, false },
        _ => new[] { true, true, true, false, false },
    };

    public static IReadOnlyList<KernelMeasurement> Measure(IEnumerable<KernelMicroModel> models, int threads = 1, int runs = 41,
        Action<KernelMeasurement>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var measurements = new List<KernelMeasurement>();
        foreach (var micro in models)
        {
            var kernels = Kernels(micro);
            var ms = OrtLatencyMeter.MeasureMs(micro.Model.ToBytes(), warmup: 5, runs: runs, threads: threads);
            var measurement = new KernelMeasurement(micro.Name, ms * 1000, kernels);
            progress?.Invoke(measurement);
            measurements.Add(measurement);
        }

        return measurements;
    }

    /// <summary>The kernels a micro-model runs, as the cost model sees them.</summary>
    public static IReadOnlyList<KernelWork> Kernels(KernelMicroModel micro) =>
        KernelClassifier.Classify(ModelAnalyzer.Analyze(micro.Model).Layers).OfType<KernelWork>().ToList();

    public static OperatorCostTable Fit(IReadOnlyList<KernelMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        if (measurements.Count == 0)
        {
            throw new ArgumentException("no measurements to fit.", nameof(measurements));
        }

        var kinds = measurements.SelectMany(m => m.Kernels.Select(k => k.Kind)).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var termCount = OperatorCost.FieldNames.Count;
        var columns = 1 + kinds.Count * termCount;
        var rows = new double[measurements.Count][];
        var targets = new double[measurements.Count];
        for (var r = 0; r < measurements.Count; r++)
        {
            var m = measurements[r];
            var row = new double[columns];
            row[0] = 1;
            foreach (var kernel in m.Kernels)
            {
                var offset = 1 + kinds.IndexOf(kernel.Kind) * termCount;
                var terms = OperatorCost.Terms(kernel);
                var used = UsedTerms(kernel.Kind);
                for (var t = 0; t < termCount; t++)
                {
                    row[offset + t] += used[t] ? terms[t] : 0;
                }
            }

            var weight = 1 / Math.Max(m.MeasuredUs, 1e-3);
            rows[r] = row.Select(v => v * weight).ToArray();
            targets[r] = m.MeasuredUs * weight;
        }

        var x = NonNegativeLeastSquares.Solve(rows, targets);
        var table = new Dictionary<string, OperatorCost>(StringComparer.Ordinal);
        for (var k = 0; k < kinds.Count; k++)
        {
            table[kinds[k]] = OperatorCost.FromCoefficients(x.Skip(1 + k * termCount).Take(termCount).ToArray());
        }

        return new OperatorCostTable(x[0], table);
    }

    /// <summary>Microseconds the table predicts for a set of kernels (per-inference cost included).</summary>
    public static double PredictUs(OperatorCostTable table, IEnumerable<KernelWork> kernels) =>
        table.PerInferenceUs + kernels.Sum(k => table.Microseconds(k) ?? 0);
}
