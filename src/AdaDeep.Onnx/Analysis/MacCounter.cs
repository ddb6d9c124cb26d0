using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Analysis;

/// <summary>
/// Multiply-accumulates of one node. Only convolutions, matrix products and recurrent cells (GRU/LSTM/RNN) count: the paper's computation
/// cost C (section 3) is the number of multiply-accumulates of its conv and fully connected layers, and every
/// other operator (activations, pools, normalisation, element-wise arithmetic) is counted as 0 MACs.
/// A matrix product counts whether or not its weight is constant: the work is the same.
/// </summary>
internal static class MacCounter
{
    public static long Count(NodeProto node, Func<int, long[]?> input, Func<int, long[]?> output)
    {
        switch (node.OpType)
        {
            case "Conv":
            case "ConvInteger":
                return ConvMacs(output(0), input(1));
            case "QLinearConv":
                return ConvMacs(output(0), input(3));
            case "ConvTranspose":
            {
                // Every input element is multiplied by a Cout/group × kernel slice of the weight.
                if (input(0) is not { Length: >= 3 } x || input(1) is not { Length: >= 3 } w)
                {
                    return 0;
                }

                return checked(ShapeArithmetic.Product(x) * ShapeArithmetic.Product(w[1..]));
            }

            case "Gemm":
            {
                if (input(0) is not { Length: 2 } a || output(0) is not { Length: 2 } y)
                {
                    return 0;
                }

                var k = node.GetInt("transA", 0) != 0 ? a[0] : a[1];
                return checked(y[0] * y[1] * k);
            }

            case "MatMul":
            case "MatMulInteger":
            case "QLinearMatMul":
            {
                // N·K·M with batch axes multiplied in: every output element is a dot product of length K.
                if (input(0) is not { Length: >= 1 } a || output(0) is not { } y)
                {
                    return 0;
                }

                return checked(ShapeArithmetic.Product(y) * a[^1]);
            }

            case "GRU":
            case "LSTM":
            case "RNN":
            {
                // Every step multiplies the input by W and the state by R, per direction: seq·batch·gates·hidden·(in + hidden).
                if (input(0) is not { Length: 3 } x || input(1) is not { Length: 3 } w || input(2) is not { Length: 3 } r)
                {
                    return 0;
                }

                var steps = x[0] * x[1]; // seq·batch in either layout
                return checked(steps * w[0] * w[1] * (w[2] + r[2]));
            }

            default:
                return 0;
        }
    }

    // N·Cout·Hout·Wout·(Cin/group)·kh·kw; the weight's dims are [Cout, Cin/group, kh, kw].
    private static long ConvMacs(long[]? y, long[]? w) =>
        y is { Length: >= 3 } && w is { Length: >= 3 } ? checked(ShapeArithmetic.Product(y) * ShapeArithmetic.Product(w[1..])) : 0;
}
