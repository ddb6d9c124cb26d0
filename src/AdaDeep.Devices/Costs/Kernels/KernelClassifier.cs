using AdaDeep.Onnx.Analysis;

namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>
/// Maps a model's layers to the kernels ONNX Runtime (CPU, all graph optimisations) actually runs, so that a
/// per-kernel cost table can be applied to them:
/// <list type="bullet">
/// <item>no kernel: the <see cref="CostModel.InPlaceOps"/> (views), and weight-decoding layers other than
/// DequantizeLinear (folded into constants when the session is created; ORT keeps DequantizeLinear for its QDQ handling);</item>
/// <item>fused into the preceding Conv/Gemm: an Add of a constant (bias) and an activation (Relu, Clip, Sigmoid, Tanh,
/// LeakyRelu, HardSigmoid) that directly follow it on the same number of elements (ORT's ConvAddFusion,
/// ConvActivationFusion, GemmActivationFusion); a MatMul followed by such an Add becomes a Gemm (MatMulAddFusion);</item>
/// <item>kinds: "Conv", "Conv.grouped" (group &gt; 1, e.g. depthwise), "Gemm", "MatMul", else the operator type.</item>
/// </list>
/// Fusion is recognised from the graph order (the analysis lists layers topologically, and exporters write an
/// activation right after its producer); a layer whose producer is not the previous kernel is costed on its own,
/// which over-counts by one small kernel at worst.
/// </summary>
public static class KernelClassifier
{
    public const string Conv = "Conv";
    public const string GroupedConv = "Conv.grouped";
    public const string Gemm = "Gemm";
    public const string MatMul = "MatMul";

    /// <summary>Activations ORT fuses into a preceding Conv or Gemm.</summary>
    public static readonly IReadOnlySet<string> FusableActivations = new HashSet<string>(StringComparer.Ordinal)
    {
        "Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid",
    };

    /// <summary>For each layer (same order as <paramref name="layers"/>) the kernel it runs, or null when it runs none of its own.</summary>
    public static IReadOnlyList<KernelWork?> Classify(IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var result = new KernelWork?[layers.Count];
        var previous = -1; // index of the last layer that runs a kernel
        var previousAbsorbedActivation = false;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (CostModel.InPlaceOps.Contains(layer.OpType) || (CostModel.IsWeightDecoding(layer) && layer.OpType != "DequantizeLinear"))
            {
                continue;
            }

            if (previous >= 0 && result[previous] is { } producer && FusesInto(layer, layers[previous], producer.Kind, previousAbsorbedActivation))
            {
                if (producer.Kind == MatMul)
                {
                    result[previous] = producer with { Kind = Gemm };
                }

                previousAbsorbedActivation |= FusableActivations.Contains(layer.OpType);
                continue;
            }

            result[i] = Work(layer);
            previous = i;
            previousAbsorbedActivation = false;
        }

        return result;
    }

    /// <summary>The work of one layer run as its own kernel (no fusion considered).</summary>
    public static KernelWork Work(LayerInfo layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var outputElements = layer.OutputShapes.Sum(Elements);
        var inputElements = Math.Max(0, layer.InputShapes.Sum(Elements) - layer.Parameters);
        var activationBytes = 4.0 * (inputElements + outputElements);
        var kind = layer.OpType;
        double lowered = 0;
        if (layer.OpType == "Conv")
        {
            kind = Groups(layer) > 1 ? GroupedConv : Conv;
            lowered = LoweredElements(layer);
        }

        return new KernelWork(kind, layer.Macs, activationBytes, layer.ParameterBytes, lowered);
    }

    private static bool FusesInto(LayerInfo layer, LayerInfo producer, string producerKind, bool producerHasActivation)
    {
        var convOrGemm = producerKind is Conv or GroupedConv or Gemm or MatMul;
        if (!convOrGemm || OutputElements(layer) != OutputElements(producer) || OutputElements(layer) == 0)
        {
            return false;
        }

        return layer.OpType switch
        {
            // A bias Add (one constant input) fuses unless an activation already did: Conv → Relu → Add is not a bias.
            "Add" => layer.Parameters > 0 && !producerHasActivation,
            _ => FusableActivations.Contains(layer.OpType) && !producerHasActivation && producerKind != MatMul,
        };
    }

    /// <summary>Conv groups: input channels over the weight's input channels per group.</summary>
    private static long Groups(LayerInfo layer)
    {
        if (layer.InputShapes.Count < 2 || layer.InputShapes[0] is not { Length: >= 2 } x || layer.InputShapes[1] is not { Length: >= 2 } w || w[1] <= 0)
        {
            return 1;
        }

        return Math.Max(1, x[1] / w[1]);
    }

    /// <summary>Elements of the im2col matrix: (C_in/group · kernel area) × output positions × group; 0 for 1×1 stride 1.</summary>
    private static double LoweredElements(LayerInfo layer)
    {
        if (layer.InputShapes.Count < 2 || layer.InputShapes[0] is not { Length: >= 3 } x || layer.InputShapes[1] is not { Length: >= 3 } w
            || layer.OutputShapes.Count < 1 || layer.OutputShapes[0] is not { Length: >= 3 } y)
        {
            return 0;
        }

        var kernelArea = w.Skip(2).Aggregate(1L, (a, d) => a * Math.Max(1, d));
        var outputPositions = y.Skip(2).Aggregate(1L, (a, d) => a * Math.Max(1, d));
        var inputPositions = x.Skip(2).Aggregate(1L, (a, d) => a * Math.Max(1, d));
        if (kernelArea == 1 && outputPositions == inputPositions)
        {
            return 0;
        }

        return (double)Math.Max(1, w[1]) * kernelArea * outputPositions * Groups(layer);
    }

    private static long OutputElements(LayerInfo layer) => layer.OutputShapes.Sum(Elements);

    private static long Elements(long[]? shape) =>
        shape is null ? 0 : shape.Aggregate(1L, (a, d) => a * Math.Max(1, d));
}
