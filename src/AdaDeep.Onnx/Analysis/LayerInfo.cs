namespace AdaDeep.Onnx.Analysis;

/// <summary>What a layer is, for the cost models and for the techniques that choose where they apply.</summary>
public enum LayerKind
{
    /// <summary>Conv with a constant weight.</summary>
    Conv,

    /// <summary>Gemm, or MatMul with a constant weight: a fully connected layer.</summary>
    FullyConnected,
    Pool,
    Normalization,
    Activation,
    Shape,
    Other,

    /// <summary>GRU, LSTM or RNN with constant input (W) and recurrent (R) weights.</summary>
    Recurrent,
}

/// <summary>
/// One node of the graph with its inferred shapes and costs (batch size as inferred, 1 when symbolic).
/// Parameters count the node's constant weight inputs; ParameterBytes are the bytes those weights take in the file.
/// </summary>
public sealed record LayerInfo(
    string NodeName,
    string OpType,
    LayerKind Kind,
    IReadOnlyList<long[]?> InputShapes,
    IReadOnlyList<long[]?> OutputShapes,
    long Parameters,
    long ParameterBytes,
    long Activations,
    long Macs,
    int Position);
