namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>One timed micro-model: its name, the latency measured (µs, median of the runs) and the kernels it runs.</summary>
public sealed record KernelMeasurement(string Name, double MeasuredUs, IReadOnlyList<KernelWork> Kernels);
