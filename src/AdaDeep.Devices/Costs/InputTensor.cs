namespace AdaDeep.Devices.Costs;

/// <summary>One input's values for a latency measurement, at the shape it is fed with (batch included).</summary>
public sealed record InputTensor(double[] Values, long[] Shape);
