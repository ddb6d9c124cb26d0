namespace AdaDeep.Onnx.Analysis;

/// <summary>What the analysis needs to know about operators beyond their shapes: their kind, and which inputs are not weights.</summary>
internal static class OperatorTraits
{
    private static readonly HashSet<string> PoolOps = new(StringComparer.Ordinal)
    {
        "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool",
    };

    private static readonly HashSet<string> NormalizationOps = new(StringComparer.Ordinal)
    {
        "BatchNormalization", "InstanceNormalization", "LayerNormalization", "GroupNormalization", "LRN",
        "LpNormalization", "MeanVarianceNormalization",
    };

    private static readonly HashSet<string> ActivationOps = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax",
        "Hardmax", "Elu", "Selu", "Celu", "Softplus", "Softsign", "ThresholdedRelu", "Gelu", "Mish",
    };

    private static readonly HashSet<string> ShapeOps = new(StringComparer.Ordinal)
    {
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Shape", "Size", "Expand", "Concat", "Slice",
        "Split", "Gather", "Tile", "Pad", "Identity", "ConstantOfShape",
    };

    // Inputs that hold shapes, axes, indices, sizes or scalar settings rather than learned weights: they are not
    // counted as parameters (their bytes still count when they are part of a packed weight's encoding).
    private static readonly Dictionary<string, int[]> NonWeightInputs = new(StringComparer.Ordinal)
    {
        ["Reshape"] = new[] { 1 },
        ["Expand"] = new[] { 1 },
        ["Tile"] = new[] { 1 },
        ["ConstantOfShape"] = new[] { 0 },
        ["Squeeze"] = new[] { 1 },
        ["Unsqueeze"] = new[] { 1 },
        ["Slice"] = new[] { 1, 2, 3, 4 },
        ["Pad"] = new[] { 1, 2, 3 },
        ["Resize"] = new[] { 1, 2, 3 },
        ["Upsample"] = new[] { 1 },
        ["Split"] = new[] { 1 },
        ["TopK"] = new[] { 1 },
        ["Gather"] = new[] { 1 },
        ["GatherND"] = new[] { 1 },
        ["GatherElements"] = new[] { 1 },
        ["ScatterND"] = new[] { 1 },
        ["ScatterElements"] = new[] { 1 },
        ["Scatter"] = new[] { 1 },
        ["OneHot"] = new[] { 1, 2 },
        ["Range"] = new[] { 0, 1, 2 },
        ["Clip"] = new[] { 1, 2 },
        ["Dropout"] = new[] { 1, 2 },
        ["CumSum"] = new[] { 1 },
        ["Trilu"] = new[] { 1 },
        ["Loop"] = new[] { 0, 1 },
        ["If"] = new[] { 0 },
        ["ReduceMean"] = new[] { 1 },
        ["ReduceSum"] = new[] { 1 },
        ["ReduceMax"] = new[] { 1 },
        ["ReduceMin"] = new[] { 1 },
        ["ReduceProd"] = new[] { 1 },
        ["ReduceL1"] = new[] { 1 },
        ["ReduceL2"] = new[] { 1 },
        ["ReduceLogSum"] = new[] { 1 },
        ["ReduceLogSumExp"] = new[] { 1 },
        ["ReduceSumSquare"] = new[] { 1 },
    };

    public static bool IsNonWeightInput(string opType, int index) =>
        NonWeightInputs.TryGetValue(opType, out var positions) && positions.Contains(index);

    /// <summary>The kind of a node; <paramref name="constantWeight"/> tells whether input 1 is a (possibly decoded) constant.</summary>
    public static LayerKind Kind(string opType, bool constantWeight, int weightRank)
    {
        if (opType == "Conv")
        {
            return constantWeight ? LayerKind.Conv : LayerKind.Other;
        }

        if (opType == "Gemm" || (opType == "MatMul" && constantWeight && weightRank == 2))
        {
            return LayerKind.FullyConnected;
        }

        if (opType is "GRU" or "LSTM" or "RNN")
        {
            return constantWeight ? LayerKind.Recurrent : LayerKind.Other;
        }

        if (PoolOps.Contains(opType))
        {
            return LayerKind.Pool;
        }

        if (NormalizationOps.Contains(opType))
        {
            return LayerKind.Normalization;
        }

        if (ActivationOps.Contains(opType))
        {
            return LayerKind.Activation;
        }

        return ShapeOps.Contains(opType) ? LayerKind.Shape : LayerKind.Other;
    }
}
