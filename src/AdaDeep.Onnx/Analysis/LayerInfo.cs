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
/// Macs are per execution of the node; <see cref="Runs"/> says how many executions per inference the costs count.
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
    int Position)
{
    /// <summary>
    /// Executions per inference the cost model counts (see <see cref="ControlFlowRuns"/>): 1 at top level; the trip count
    /// in a Loop body; 0 in the If branch that is not the costlier one (only one branch runs).
    /// </summary>
    public long Runs { get; init; } = 1;

    /// <summary>The control-flow body the node sits in ("If 'vad' then_branch"), or null for a top-level node.</summary>
    public string? Scope { get; init; }

    /// <summary>A node of an If/Loop/Scan body: costed, but never a layer the search rewrites (techniques rewrite top-level nodes).</summary>
    public bool InSubgraph => Scope is not null;

    /// <summary>MACs per inference: <see cref="Macs"/> × <see cref="Runs"/>.</summary>
    public long CountedMacs => checked(Macs * Runs);
}
