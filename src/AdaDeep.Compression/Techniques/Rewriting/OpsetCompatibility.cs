using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>
/// Raising a model's ai.onnx opset import changes the version of every operator in it. That is safe only when
/// no operator used by the model changed meaning between the two versions. This allow-list names, per operator,
/// the versions that broke compatibility (an attribute turned into an input, different broadcasting, removed
/// attributes, new default semantics); versions that only added types or optional attributes whose defaults keep
/// the old behaviour are not listed. An operator absent from the list is never bumped over.
/// </summary>
internal static class OpsetCompatibility
{
    private static readonly Dictionary<string, int[]> BreakingVersions = new()
    {
        // Element-wise unary ops: v6 dropped the legacy consumed_inputs attribute.
        ["Abs"] = [6], ["Neg"] = [6], ["Exp"] = [6], ["Log"] = [6], ["Sqrt"] = [6], ["Reciprocal"] = [6],
        ["Floor"] = [6], ["Ceil"] = [6], ["Relu"] = [6], ["LeakyRelu"] = [6], ["Sigmoid"] = [6], ["Tanh"] = [6],
        ["Elu"] = [6], ["Selu"] = [6], ["HardSigmoid"] = [6], ["Softplus"] = [], ["Softsign"] = [], ["Erf"] = [],
        ["Sign"] = [], ["Sin"] = [], ["Cos"] = [], ["HardSwish"] = [],
        // Binary ops: v7 replaced the broadcast/axis attributes by numpy broadcasting.
        ["Add"] = [6, 7], ["Sub"] = [6, 7], ["Mul"] = [6, 7], ["Div"] = [6, 7], ["Pow"] = [7], ["PRelu"] = [6, 7],
        ["Equal"] = [7], ["Greater"] = [7], ["Less"] = [7], ["And"] = [7], ["Or"] = [7], ["Not"] = [], ["Mod"] = [],
        ["Sum"] = [6], ["Max"] = [6], ["Min"] = [6], ["Mean"] = [6], ["Where"] = [],
        ["Gemm"] = [6, 7], ["MatMul"] = [], ["Conv"] = [], ["ConvTranspose"] = [11],
        // Pooling: later versions added storage_order, ceil_mode, dilations with defaults that keep old results.
        ["MaxPool"] = [], ["AveragePool"] = [], ["GlobalAveragePool"] = [], ["GlobalMaxPool"] = [], ["LpPool"] = [2],
        ["GlobalLpPool"] = [2], ["LRN"] = [],
        ["BatchNormalization"] = [6, 7, 9], ["InstanceNormalization"] = [6],
        // Dropout: is_test removed in 7; ratio moved from attribute to input in 12.
        ["Dropout"] = [6, 7, 10, 12],
        ["Flatten"] = [], ["Reshape"] = [5], ["Concat"] = [4], ["Transpose"] = [], ["Identity"] = [],
        ["Constant"] = [], ["Cast"] = [6], ["Shape"] = [], ["Gather"] = [], ["Expand"] = [], ["Tile"] = [6],
        ["ConstantOfShape"] = [], ["Range"] = [], ["NonZero"] = [], ["CumSum"] = [], ["ScatterND"] = [],
        ["ArgMax"] = [], ["ArgMin"] = [],
        // Softmax family: v13 changed the axis semantics (no more coercion to 2-D).
        ["Softmax"] = [13], ["LogSoftmax"] = [13], ["Hardmax"] = [13],
        ["Squeeze"] = [13], ["Unsqueeze"] = [13], ["Split"] = [2, 13, 18], ["Slice"] = [10], ["Pad"] = [2, 11],
        ["Clip"] = [6, 11], ["TopK"] = [10],
        ["ReduceSum"] = [13], ["ReduceMean"] = [18], ["ReduceMax"] = [18], ["ReduceMin"] = [18], ["ReduceProd"] = [18],
        ["ReduceL1"] = [18], ["ReduceL2"] = [18], ["ReduceLogSumExp"] = [18], ["ReduceSumSquare"] = [18],
        ["QuantizeLinear"] = [], ["DequantizeLinear"] = [],
        // Recurrent layers: v7 removed output_sequence; later versions added layout (default 0) and types.
        ["GRU"] = [7], ["LSTM"] = [7], ["RNN"] = [7],
    };

    /// <summary>The opset versions in which <paramref name="opType"/> changed meaning; null when the operator is not
    /// in the allow-list (never raised over).</summary>
    public static IReadOnlyList<int>? BreakingVersionsOf(string opType) => BreakingVersions.GetValueOrDefault(opType);

    /// <summary>Minimum IR version for an opset (onnx/helper.py VERSION_TABLE).</summary>
    public static long MinIrVersion(long opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        _ => 11,
    };

    /// <summary>Whether the model can run at (at least) <paramref name="target"/>; the reason when not.</summary>
    public static bool CanRaise(OnnxModel model, long target, out string reason)
    {
        reason = "";
        var current = model.OpsetVersion;
        if (current >= target)
        {
            return true;
        }

        if (current == 0)
        {
            reason = "the model imports no ai.onnx opset";
            return false;
        }

        foreach (var g in GraphIndex.AllGraphs(model.Graph))
        {
            foreach (var node in g.Node)
            {
                if (!string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
                {
                    continue; // other domains keep their own opset import
                }

                if (!BreakingVersions.TryGetValue(node.OpType, out var breaking))
                {
                    reason = $"raising opset {current} to {target} is not known to be safe for {node.OpType} ('{node.Name}')";
                    return false;
                }

                if (breaking.FirstOrDefault(v => v > current && v <= target) is var b and > 0)
                {
                    reason = $"{node.OpType} ('{node.Name}') changed meaning in opset {b}; raising opset {current} to {target} is unsafe";
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Raises the ai.onnx import (and the IR version it needs); call only after <see cref="CanRaise"/>.</summary>
    public static void Raise(OnnxModel model, long target)
    {
        var import = model.Proto.OpsetImport.First(o => o.Domain is "" or "ai.onnx");
        if (import.Version < target)
        {
            import.Version = target;
        }

        var before = model.Proto.IrVersion;
        model.Proto.IrVersion = Math.Max(model.Proto.IrVersion, MinIrVersion(import.Version));
        if (before < 4 && model.Proto.IrVersion >= 4)
        {
            // IR < 4 must list every initializer as a graph input; from IR 4 on such an input is an overridable default,
            // which ONNX Runtime does not treat as a constant: no Conv/Add/Relu fusion, no NCHWc layout, no weight
            // pre-packing (measured: mnist-8 ran ~40% slower once raised). The weights are initializers either way.
            var initializers = new HashSet<string>(model.Graph.Initializer.Select(t => t.Name), StringComparer.Ordinal);
            var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
            model.Graph.Input.Clear();
            model.Graph.Input.AddRange(inputs);
        }
    }
}
