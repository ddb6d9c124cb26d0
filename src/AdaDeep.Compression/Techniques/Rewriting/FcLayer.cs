using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Rewriting;

/// <summary>
/// A fully connected layer y = x·Wᵀ + b, read from a Gemm (transA = 0, constant B, alpha and beta folded in)
/// or a MatMul with a constant 2-D right operand (bias, if any, lives in a following Add and stays there).
/// </summary>
internal sealed record FcLayer(NodeProto Node, string Input, double[,] Weight, float[]? Bias, bool IsGemm)
{
    public int Out => Weight.GetLength(0);

    public int In => Weight.GetLength(1);

    /// <summary>The applicability check of a technique that rewrites a fully connected layer: <see cref="TryDescribe"/>'s verdict.</summary>
    public static Applicability Check(GraphIndex index, NodeProto node, long opset) =>
        TryDescribe(index, node, opset, out var reason) is null ? Applicability.No(reason) : Applicability.Yes;

    public static FcLayer? TryDescribe(GraphIndex index, NodeProto node, long opset, out string reason)
    {
        reason = "";
        if (node.OpType is not ("Gemm" or "MatMul") || !string.IsNullOrEmpty(node.Domain) && node.Domain != "ai.onnx")
        {
            reason = $"'{node.Name}' is a {node.OpType}, not a fully connected layer (Gemm or MatMul with a constant weight)";
            return null;
        }

        if (node.Input.Count < 2 || index.IsConstant(node.Input[0]))
        {
            reason = $"'{node.Name}' does not multiply an activation by a weight";
            return null;
        }

        var b = Constants.TryFloat(index, node.Input[1]);
        if (b is null || b.Dims.Length != 2)
        {
            reason = $"the weight of '{node.Name}' is not a constant 2-D float tensor";
            return null;
        }

        var rows = (int)b.Dims[0];
        var cols = (int)b.Dims[1];
        if (node.OpType == "MatMul")
        {
            // MatMul: x[.., in] · B[in, out].
            var w = new double[cols, rows];
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < cols; j++)
                {
                    w[j, i] = b.Values[i * cols + j];
                }
            }

            return new FcLayer(node, node.Input[0], w, null, false);
        }

        if (opset < 7)
        {
            reason = $"Gemm '{node.Name}' uses opset {opset} broadcasting rules (< 7), which AdaDeep does not rewrite";
            return null;
        }

        if (node.GetInt("transA", 0) != 0)
        {
            reason = $"Gemm '{node.Name}' transposes its activation input (transA = 1)";
            return null;
        }

        var transB = node.GetInt("transB", 0) != 0;
        var alpha = node.GetFloat("alpha", 1f);
        var beta = node.GetFloat("beta", 1f);
        var outDim = transB ? rows : cols;
        var inDim = transB ? cols : rows;
        var weight = new double[outDim, inDim];
        for (var o = 0; o < outDim; o++)
        {
            for (var i = 0; i < inDim; i++)
            {
                weight[o, i] = alpha * (transB ? b.Values[o * cols + i] : b.Values[i * cols + o]);
            }
        }

        float[]? bias = null;
        if (node.Input.Count >= 3 && node.Input[2].Length > 0)
        {
            var c = Constants.TryFloat(index, node.Input[2]);
            if (c is null)
            {
                reason = $"the bias of Gemm '{node.Name}' is not constant";
                return null;
            }

            var perOutput = c.Count == outDim && (c.Dims.Length == 1 || (c.Dims.Length == 2 && c.Dims[0] == 1));
            if (!perOutput && c.Count != 1)
            {
                reason = $"the bias of Gemm '{node.Name}' has shape [{string.Join(",", c.Dims)}], not one value per output";
                return null;
            }

            bias = new float[outDim];
            for (var o = 0; o < outDim; o++)
            {
                bias[o] = beta * c.Values[perOutput ? o : 0];
            }
        }

        return new FcLayer(node, node.Input[0], weight, bias, true);
    }
}
