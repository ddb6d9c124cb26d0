namespace AdaDeep.Devices.Costs;

/// <summary>Costs of one layer on a device (paper section 3).</summary>
public sealed record LayerCost(
    string NodeName,
    string OpType,
    long Macs,
    long WeightBits,
    long ActivationBits,
    double LatencyMs,
    double EnergyMJ);

/// <summary>
/// Costs of a whole model on a device. Sp/Sf are the paper's analytic storage (Eq. 3, bits); FileBytes is the
/// real size of the saved ONNX file (what ships). Energy per Eq. 5; latency from the roofline model, or the
/// ONNX Runtime measurement when the profile measures it.
/// </summary>
public sealed record CostEstimate(
    IReadOnlyList<LayerCost> Layers,
    long Macs,
    long WeightBits,
    long ActivationBits,
    long FileBytes,
    double LatencyMs,
    double EnergyMJ,
    double? MeasuredLatencyMs = null)
{
    public long StorageBits => WeightBits + ActivationBits;

    public double WeightMB => WeightBits / 8.0 / 1024 / 1024;
}
