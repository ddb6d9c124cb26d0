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
/// <item>a DequantizeLinear of a weight feeding a MatMul whose activation is not quantised runs no kernel: ORT fuses the
/// pair into MatMulNBits (int8 weight-only MatMul); feeding anything else it runs every inference, and its consumer,
/// whose weight is then no constant, gets the ".dq" kind (no pre-packing, no NCHWc layout, no bias fusion);</item>
/// <item>kinds: "Conv", "Conv.depthwise" (one input channel per group), "Conv.grouped" (other groups), "Gemm",
/// "MatMul", "MatMulNBits", "Conv.dq"/"Gemm.dq"/"MatMul.dq", "DequantizeLinear" (one scale), "DequantizeLinear.outer"
/// (a scale per slice of the first axis), "DequantizeLinear.inner" (a scale per element of the last axis), else the
/// operator type.</item>
/// </list>
/// Fusion is recognised from the graph order (the analysis lists layers topologically, and exporters write an
/// activation right after its producer); a layer whose producer is not the previous kernel is costed on its own,
/// which over-counts by one small kernel at worst.
/// </summary>
public static class KernelClassifier
{
    public const string Conv = "Conv";
    public const string GroupedConv = "Conv.grouped";
    public const string DepthwiseConv = "Conv.depthwise";
    public const string MatMulNBits = "MatMulNBits";
    public const string DequantizeLinear = "DequantizeLinear";

    /// <summary>Suffix of a Conv/Gemm/MatMul whose weight a DequantizeLinear computes every inference.</summary>
    public const string DynamicWeight = ".dq";
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
        var pendingWeightDequantize = new List<int>(); // DequantizeLinear of a weight, not yet matched to its consumer
        var previousDequantize = -1; // the weight DequantizeLinear the previous kernel absorbed, if any
        var foldedWeights = new List<long[]>(); // shapes of weights ORT computes once at session creation (Cast·scale)
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var weightDequantize = layer.OpType == DequantizeLinear && CostModel.IsWeightDecoding(layer);
            if (CostModel.InPlaceOps.Contains(layer.OpType) || (CostModel.IsWeightDecoding(layer) && !weightDequantize))
            {
                if (!CostModel.InPlaceOps.Contains(layer.OpType) && layer.OutputShapes[0] is { } folded)
                {
                    foldedWeights.Add(folded);
                }

                continue;
            }

            if (weightDequantize)
            {
                // Runs every inference (ORT does not fold DequantizeLinear) unless its consumer absorbs it (below).
                result[i] = Work(layer);
                pendingWeightDequantize.Add(i);
                continue;
            }

            if (previous >= 0 && result[previous] is { } producer && FusesInto(layer, layers[previous], producer.Kind, previousAbsorbedActivation))
            {
                if (producer.Kind is MatMul or MatMul + DynamicWeight && layer.OpType == "Add")
                {
                    result[previous] = producer with { Kind = producer.Kind.Replace(MatMul, Gemm, StringComparison.Ordinal) };
                }
                else if (producer.Kind == MatMulNBits && layer.OpType == "Add" && BiasRank(layer) >= 2 && previousDequantize >= 0)
                {
                    // MatMul + Add become a Gemm first; ORT fuses a dequantized weight into MatMulNBits only with a 1-D bias.
                    result[previous] = producer with { Kind = Gemm + DynamicWeight, WeightBytes = 4.0 * WeightElements(layers[previous]) };
                    result[previousDequantize] = Work(layers[previousDequantize]);
                }

                previousAbsorbedActivation |= FusableActivations.Contains(layer.OpType);
                continue;
            }

            var work = Work(layer);
            previousDequantize = -1;
            if (layer.OpType is "Conv" or "Gemm" or "MatMul" && layer.InputShapes.Count > 1 && layer.InputShapes[1] is { } weightShape)
            {
                var source = pendingWeightDequantize.FindIndex(d => layers[d].OutputShapes[0] is { } s && s.SequenceEqual(weightShape));
                var folded = foldedWeights.FindIndex(s => s.SequenceEqual(weightShape));
                if (source < 0 && folded >= 0)
                {
                    // Int8 weights decoded by Cast·scale are folded by ORT into an fp32 initializer when the session is
                    // created: the kernel reads float weights, exactly as before the int8 rewrite (the analysis charges
                    // the layer the int8 bytes it ships), so it is not faster.
                    foldedWeights.RemoveAt(folded);
                    var bias = layer.InputShapes.Count > 2 ? Elements(layer.InputShapes[2]) : 0;
                    var activations = Elements(layer.InputShapes[0]) + OutputElements(layer);
                    work = work with { WeightBytes = 4.0 * (WeightElements(layer) + bias), ActivationBytes = 4.0 * activations };
                }

                if (source >= 0)
                {
                    var dequantize = pendingWeightDequantize[source];
                    pendingWeightDequantize.RemoveAt(source);
                    var quantizedActivation = previous >= 0 && layers[previous].OpType == DequantizeLinear && !CostModel.IsWeightDecoding(layers[previous]);
                    if (layer.OpType == "MatMul" && !quantizedActivation)
                    {
                        // ORT's DQMatMulToMatMulNBits: an int8 weight-only MatMul kernel reading the int8 weight directly.
                        result[dequantize] = null;
                        previousDequantize = dequantize;
                        work = work with { Kind = MatMulNBits, WeightBytes = WeightElements(layer) }; // int8: one byte each
                    }
                    else
                    {
                        // The weight is computed every inference: no pre-packing, no NCHWc layout, no bias Add fusion.
                        work = work with { Kind = work.Kind.Split('.')[0] + DynamicWeight, WeightBytes = 4.0 * WeightElements(layer) };
                    }
                }
            }

            result[i] = work;
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
            var groups = Groups(layer);
            kind = groups == 1 ? Conv : layer.InputShapes[1] is { Length: >= 2 } w && w[1] == 1 ? DepthwiseConv : GroupedConv;
            lowered = LoweredElements(layer);
        }
        else if (layer.OpType == DequantizeLinear && CostModel.IsWeightDecoding(layer))
        {
            kind = DequantizeKind(layer);
            activationBytes = 4.0 * outputElements; // reads int8, writes fp32: the output dominates
        }

        return new KernelWork(kind, layer.Macs, activationBytes, layer.ParameterBytes, lowered);
    }

    /// <summary>
    /// DequantizeLinear of a weight by its scale: one scale ("DequantizeLinear"), one per slice of the first axis
    /// (".outer", contiguous blocks) or one per element of the last axis (".inner", a scale per element, measured ~10×
    /// slower per element in ORT 1.31).
    /// </summary>
    private static string DequantizeKind(LayerInfo layer)
    {
        var scale = layer.InputShapes.Count > 1 ? layer.InputShapes[1] : null;
        var scales = scale is null ? 1 : scale.Aggregate(1L, (a, d) => a * Math.Max(1, d));
        if (scales <= 1 || layer.InputShapes[0] is not { Length: >= 2 } x)
        {
            return DequantizeLinear;
        }

        return x[0] == scales ? DequantizeLinear + ".outer" : DequantizeLinear + ".inner";
    }

    /// <summary>Rank of an Add's constant input: the last input with as many elements as the layer's parameters (exporters write the bias second).</summary>
    private static int BiasRank(LayerInfo add) =>
        add.InputShapes.LastOrDefault(s => s is not null && Elements(s) == add.Parameters)?.Length ?? 1;

    private static bool FusesInto(LayerInfo layer, LayerInfo producer, string producerKind, bool producerHasActivation)
    {
        var convOrGemm = producerKind is Conv or GroupedConv or DepthwiseConv or Gemm or MatMul or MatMulNBits
            || producerKind.EndsWith(DynamicWeight, StringComparison.Ordinal);
        if (!convOrGemm || OutputElements(layer) != OutputElements(producer) || OutputElements(layer) == 0)
        {
            return false;
        }

        return layer.OpType switch
        {
            // A bias Add (one constant input) fuses unless an activation already did: Conv → Relu → Add is not a bias.
            // ConvAddFusion needs a constant Conv weight; MatMulAddFusion does not.
            "Add" => layer.Parameters > 0 && !producerHasActivation && producerKind != Conv + DynamicWeight,
            _ => FusableActivations.Contains(layer.OpType) && !producerHasActivation && producerKind is not (MatMul or MatMulNBits),
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

    /// <summary>Elements of a Conv/Gemm/MatMul weight (its second input), whatever computes it.</summary>
    private static double WeightElements(LayerInfo layer) =>
        layer.InputShapes.Count > 1 ? Elements(layer.InputShapes[1]) : 0;

    private static long OutputElements(LayerInfo layer) => layer.OutputShapes.Sum(Elements);

    private static long Elements(long[]? shape) =>
        shape is null ? 0 : shape.Aggregate(1L, (a, d) => a * Math.Max(1, d));
}
