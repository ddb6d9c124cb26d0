namespace AdaDeep.Devices.Costs;

/// <summary>Which kernel sweep <see cref="HostCalibrator.Measure"/> runs: none, every third micro-model, or all.</summary>
public enum KernelSweep
{
    None,
    Quick,
    Full,
}
