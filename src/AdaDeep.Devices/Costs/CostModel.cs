using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Devices.Costs;

/// <summary>
/// The paper's cost models (section 3) evaluated per layer on a device profile:
/// <list type="bullet">
/// <item>Storage (Eq. 3): Sp = weight bits as they ship (<see cref="LayerInfo.ParameterBytes"/> · 8, so int8 weights count 8 bits);
/// Sf = activation bits = <see cref="LayerInfo.Activations"/> (output elements) · 32 (Ba = 32, fp32 activations).</item>
/// <item>Computation C: the layer's multiply-accumulates from the analysis.</item>
/// <item>Latency T, a per-layer roofline instead of the paper's C/P:
/// T = max(MACs / (peak · efficiency(op)), bytes moved / bandwidth) + per-layer overhead, where bytes moved are the
/// layer's weights plus its input and output activations (4 bytes per element).</item>
/// <item>Latency with a measured kernel table (<see cref="DeviceProfile.KernelCosts"/>, the <c>host</c> profile): the
/// kernels ONNX Runtime runs after its fusions (<see cref="KernelClassifier"/>), each costed by the table's linear model
/// of its work (<see cref="OperatorCost"/>), plus a fixed cost per inference; kinds the table lacks use the roofline.
/// <see cref="LayerCost.LatencyMs"/> then holds each layer's kernel time (0 for a layer fused into its producer) and
/// the estimate's total adds the per-inference cost.</item>
/// <item>Energy (Eq. 5): E = ε1·C + ε2·Sp + ε3·Sf with the device's energy per MAC, per cache byte and per DRAM byte
/// (<see cref="DeviceProfile.EnergyPerMacPJ"/>, <see cref="DeviceProfile.CacheBytePJ"/>, <see cref="DeviceProfile.DramBytePJ"/>);
/// a profile without the byte figures gets the paper's 6·ε1 and 200·ε1 per 32-bit word (see <see cref="EnergyMJ(long, long, long, double)"/>).</item>
/// </list>
/// Layers that are pure metadata in ONNX Runtime (<see cref="InPlaceOps"/>: Reshape, Flatten, Identity, …) cost no time
/// and no activation storage: ORT returns a view of their input (or folds them away) instead of computing a new tensor.
/// Their constant inputs (e.g. a Reshape's shape) still ship in the file and count in Sp.
/// Layers that only decode a weight from constants (the analysis gives them 0 activations although their output shape
/// is known: a sparse ScatterND, a factor product, a Reshape chain) are folded by ORT when the session is created and
/// cost no time either, except DequantizeLinear, which ORT keeps for its QDQ fusions and runs every inference: it
/// reads its quantised input (1 byte per element) and writes fp32.
/// Other layers without MACs or weights (Relu, pooling, Add…) still pay their memory traffic and overhead.
/// Layers inside If/Loop/Scan bodies count <see cref="LayerInfo.Runs"/> times in C, T and E (a Loop body its trip count,
/// the If branch that is not the costlier one 0 times: only one branch runs); their Sp and Sf count once, since the
/// weights ship whether or not a branch runs and a body's buffers are reused across iterations.
/// </summary>
public static class CostModel
{
    /// <summary>Ba: bits per activation element (fp32 activations, paper section 3 "Ba = Bw = 32 bits").</summary>
    public const int ActivationBitsPerElement = 32;

    /// <summary>The word the energy model counts memory accesses in (one fp32 value).</summary>
    public const int BitsPerWord = 32;

    /// <summary>Relative energy of a cache access and of a DRAM access, each against one MAC (paper Eq. 5, from [48]).</summary>
    public const double CacheAccessPerMac = DeviceProfile.CacheAccessPerMac;

    public const double DramAccessPerMac = DeviceProfile.DramAccessPerMac;

    /// <summary>Operators ONNX Runtime executes as views or removes: no compute, no new activation buffer.</summary>
    public static readonly IReadOnlySet<string> InPlaceOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Reshape", "Flatten", "Identity", "Shape", "Constant", "Squeeze", "Unsqueeze", "Dropout", "Size",
    };

    public static CostEstimate Estimate(ModelAnalysis analysis, DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(device);
        var layers = analysis.Layers.Select(layer => EstimateLayer(layer, device)).ToList();
        var perInferenceMs = 0.0;
        if (device.KernelCosts is { } table)
        {
            // Kernel-table latency: the kernels ORT runs (fusions applied), each from the measured table, falling back to
            // the roofline for kinds the table lacks, plus the fixed cost of one inference.
            var kernels = KernelClassifier.Classify(analysis.Layers);
            for (var i = 0; i < layers.Count; i++)
            {
                var latency = kernels[i] is { } work
                    ? (table.Microseconds(work) / 1000 ?? LatencyMs(analysis.Layers[i], device)) * analysis.Layers[i].Runs
                    : 0;
                layers[i] = layers[i] with { LatencyMs = latency };
            }

            perInferenceMs = table.PerInferenceUs / 1000;
        }

        return new CostEstimate(
            layers,
            Macs: layers.Sum(l => l.Macs),
            WeightBits: layers.Sum(l => l.WeightBits),
            ActivationBits: layers.Sum(l => l.ActivationBits),
            FileBytes: analysis.FileBytes,
            LatencyMs: perInferenceMs + layers.Sum(l => l.LatencyMs),
            EnergyMJ: layers.Sum(l => l.EnergyMJ));
    }

    public static LayerCost EstimateLayer(LayerInfo layer, DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(device);
        var weightBits = layer.ParameterBytes * 8;
        var runs = layer.Runs; // time and energy are spent per execution; storage is held once
        if (InPlaceOps.Contains(layer.OpType))
        {
            return new LayerCost(layer.NodeName, layer.OpType, layer.CountedMacs, weightBits, 0, 0,
                EnergyMJ(layer.Macs, weightBits, 0, device) * runs);
        }

        var activationBits = layer.Activations * ActivationBitsPerElement;
        return new LayerCost(layer.NodeName, layer.OpType, layer.CountedMacs, weightBits, activationBits,
            LatencyMs(layer, device) * runs,
            EnergyMJ(layer.Macs, weightBits, activationBits, device) * runs);
    }

    /// <summary>Roofline latency of one layer in milliseconds (0 for <see cref="InPlaceOps"/> and folded weight decoding).</summary>
    public static double LatencyMs(LayerInfo layer, DeviceProfile device)
    {
        if (InPlaceOps.Contains(layer.OpType))
        {
            return 0;
        }

        if (IsWeightDecoding(layer))
        {
            if (layer.OpType != "DequantizeLinear")
            {
                return 0;
            }

            var elements = layer.OutputShapes.Sum(Elements);
            return elements * (1.0 + ActivationBitsPerElement / 8) / device.MemoryBandwidthBytesPerSecond * 1000 + device.PerLayerOverheadMs;
        }

        var computeSeconds = layer.Macs / (device.PeakMacsPerSecond * Efficiency(device, layer.OpType));
        var memorySeconds = BytesMoved(layer) / device.MemoryBandwidthBytesPerSecond;
        return Math.Max(computeSeconds, memorySeconds) * 1000 + device.PerLayerOverheadMs;
    }

    /// <summary>
    /// Bytes a layer reads and writes: its weights as stored, its non-constant inputs and its outputs at 4 bytes per
    /// element. Input activations are the elements of the known input shapes minus the constant (weight) elements,
    /// which <see cref="LayerInfo.Parameters"/> counts; unknown shapes count nothing.
    /// </summary>
    public static double BytesMoved(LayerInfo layer)
    {
        var inputElements = Math.Max(0, layer.InputShapes.Sum(Elements) - layer.Parameters);
        const int bytesPerElement = ActivationBitsPerElement / 8;
        return layer.ParameterBytes + (double)(inputElements + layer.Activations) * bytesPerElement;
    }

    /// <summary>
    /// A node whose output is a weight, not an activation: the analysis gives it 0 activations although every output
    /// shape is known (a node whose shapes are unknown also has 0 activations, and is not one of these).
    /// </summary>
    public static bool IsWeightDecoding(LayerInfo layer) =>
        layer.Activations == 0 && layer.Macs == 0 && layer.OutputShapes.Count > 0
        && layer.OutputShapes.All(s => s is not null && s.All(d => d > 0));

    /// <summary>Fraction of peak the operator reaches on this device (profile's <c>operatorEfficiency</c>; 1 when absent).</summary>
    public static double Efficiency(DeviceProfile device, string opType) =>
        device.OperatorEfficiency.TryGetValue(opType, out var efficiency) ? efficiency : 1.0;

    /// <summary>
    /// Paper Eq. 5, E = ε1·C + 6·ε1·Sp + 200·ε1·Sf, in millijoules, with Sp and Sf counted in 32-bit words accessed.
    /// <para>
    /// Why words and not bits: the factors 6 and 200 come from [48] (Eyeriss), which gives the energy of one data
    /// access — one word moved from the global buffer or from DRAM — normalised to one MAC on words of the same width.
    /// Eq. 4 calls ε2 and ε3 "per bit", but read per bit the paper's own figures do not add up: for its initial LeNet
    /// (section 5.3.3: Sp = 25.2 MB, C = 28,324,864, E = 4.3 mJ) the weight term alone would be
    /// 25.2·2^20·8 bits · 6 · 52.8 pJ ≈ 67 mJ. Per 32-bit word it is 6.6·10^6 words · 6 · 52.8 pJ ≈ 2.1 mJ, and with
    /// ε1·C ≈ 1.5 mJ that leaves ≈ 0.7 mJ (≈ 67k activation words) for Sf: the paper's 4.3 mJ. A MAC here works on
    /// fp32 words, so one access is one 32-bit word: Sp/32 and Sf/32 words (an int8 weight is a quarter of a word).
    /// </para>
    /// </summary>
    public static double EnergyMJ(long macs, long weightBits, long activationBits, double energyPerMacPJ)
    {
        var picojoules = energyPerMacPJ * (macs
            + CacheAccessPerMac * weightBits / BitsPerWord
            + DramAccessPerMac * activationBits / BitsPerWord);
        return picojoules * 1e-9;
    }

    /// <summary>
    /// Eq. 5 with the device's own figures: E = εMAC·C + εcache·(Sp in bytes) + εDRAM·(Sf in bytes), in millijoules.
    /// Equal to <see cref="EnergyMJ(long, long, long, double)"/> for a profile that gives no byte figures.
    /// </summary>
    public static double EnergyMJ(long macs, long weightBits, long activationBits, DeviceProfile device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var picojoules = device.EnergyPerMacPJ * macs
            + device.CacheBytePJ * (weightBits / 8.0)
            + device.DramBytePJ * (activationBits / 8.0);
        return picojoules * 1e-9;
    }

    private static long Elements(long[]? shape)
    {
        if (shape is null)
        {
            return 0;
        }

        long count = 1;
        foreach (var dim in shape)
        {
            count *= Math.Max(1, dim); // symbolic or unknown dims (≤ 0) count as 1, like the analysis' batch
        }

        return count;
    }
}
