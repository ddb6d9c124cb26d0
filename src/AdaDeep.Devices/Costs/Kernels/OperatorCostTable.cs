namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>
/// A device's measured kernel costs (the nn-Meter approach: predict a model's latency as the sum of the latencies of
/// the kernels it runs, each from a model fitted on micro-benchmarks of that kernel kind): a fixed cost per inference
/// (one ONNX Runtime Run call: input binding, output allocation, the executor's walk) plus an
/// <see cref="OperatorCost"/> per kernel kind (keys as <see cref="KernelClassifier"/> names them). Kinds without an
/// entry fall back to the profile's roofline. Optional in a profile: only devices we can measure carry one.
/// </summary>
public sealed record OperatorCostTable(double PerInferenceUs, IReadOnlyDictionary<string, OperatorCost> Kernels)
{
    /// <summary>Microseconds of one kernel, or null when the table has no entry for its kind.</summary>
    public double? Microseconds(KernelWork work) =>
        Kernels.TryGetValue(work.Kind, out var cost) ? cost.Microseconds(work) : null;
}
