namespace AdaDeep.Compression.Torch;

/// <summary>
/// Which ONNX operators (default domain) the TorchSharp bridge runs natively (others run in ONNX Runtime, frozen:
/// see TorchGraphModule), and which inputs count as weights. Free of
/// TorchSharp types so callers can check a graph without loading the native library.
/// </summary>
public static class OnnxOpSupport
{
    public static readonly IReadOnlySet<string> SupportedOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid",
        "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "BatchNormalization", "Flatten",
        "Reshape", "Transpose", "Concat", "Softmax", "LogSoftmax", "Dropout", "Identity", "Squeeze", "Unsqueeze",
        "Constant", "Shape", "Gather", "Cast", "Slice", "Split", "Pad", "Resize", "Upsample", "HardSwish", "Exp", "Log",
        "Sqrt", "Neg", "Abs", "Reciprocal", "Erf", "Floor", "Ceil", "Pow", "Softplus", "Elu", "Selu", "PRelu", "Gelu", "Max",
        "Min", "Sum", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "Expand", "Tile", "ConstantOfShape", "Range",
        "Equal", "Less", "Greater", "Not", "Where", "Size", "GRU", "LSTM",
    };

    /// <summary>True when input <paramref name="index"/> of <paramref name="opType"/> takes a weight or bias.</summary>
    public static bool IsWeightInput(string opType, int index) => opType switch
    {
        "Conv" or "BatchNormalization" => index is 1 or 2,
        "Gemm" => index is 0 or 1 or 2,
        "MatMul" or "Add" or "Mul" => index is 0 or 1,
        "GRU" or "LSTM" => index is 1 or 2 or 3,
        "PRelu" => index == 1,
        _ => false,
    };

    /// <summary>Operators that only re-view their first input: a weight reshaped before use is still a weight.</summary>
    public static bool IsViewOp(string opType) =>
        opType is "Reshape" or "Transpose" or "Identity" or "Squeeze" or "Unsqueeze" or "Flatten";

    /// <summary>The operators of a graph the bridge cannot run (empty when it can run them all).</summary>
    public static IReadOnlyList<string> Unsupported(AdaDeep.Onnx.Proto.GraphProto graph) =>
        graph.Node.Where(n => !IsSupported(n)).Select(n => string.IsNullOrEmpty(n.Domain) ? n.OpType : $"{n.Domain}.{n.OpType}")
            .Distinct().ToList();

    public static bool IsSupported(AdaDeep.Onnx.Proto.NodeProto node) =>
        node.Domain is "" or "ai.onnx" && SupportedOps.Contains(node.OpType);
}
