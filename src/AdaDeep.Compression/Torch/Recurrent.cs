using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Torch;

/// <summary>
/// ONNX GRU and LSTM (default activations, layout 0, no sequence_lens, clip or peepholes), step by step so gradients
/// reach W, R and B. Gate order is ONNX's: GRU z, r, h; LSTM i, o, f, c. PyTorch exports GRU with
/// linear_before_reset = 1; both forms are handled.
/// </summary>
internal static class Recurrent
{
    public static Tensor[] Gru(NodeProto node, Tensor?[] inputs)
    {
        CheckSupported(node, inputs, "sigmoid", "tanh");
        var (x, w, r, b, hidden, directions) = Common(node, inputs, gates: 3);
        var linearBeforeReset = node.GetInt("linear_before_reset", 0) != 0;
        var h0 = Arg(inputs, 5);
        var ys = new List<Tensor>();
        var finals = new List<Tensor>();
        for (var d = 0; d < directions; d++)
        {
            var (wz, wr, wh) = Chunk3(w[d]);
            var (rz, rr, rh) = Chunk3(r[d]);
            var bias = b?[d];
            var (wbz, wbr, wbh, rbz, rbr, rbh) = bias is null ? (null, null, null, null, null, null) : Chunk6(bias);
            var h = h0 is null ? zeros(x.shape[1], hidden) : h0[d];
            var steps = new Tensor[x.shape[0]];
            foreach (var t in Order(x.shape[0], Reverse(node, d)))
            {
                var xt = x[t];
                var z = (Lin(xt, wz, wbz) + Lin(h, rz, rbz)).sigmoid();
                var rt = (Lin(xt, wr, wbr) + Lin(h, rr, rbr)).sigmoid();
                var candidate = linearBeforeReset
                    ? (Lin(xt, wh, wbh) + rt * Lin(h, rh, rbh)).tanh()
                    : (Lin(xt, wh, wbh) + Lin(rt * h, rh, rbh)).tanh();
                h = (1 - z) * candidate + z * h;
                steps[t] = h;
            }

            ys.Add(stack(steps, 0));
            finals.Add(h);
        }

        return new[] { stack(ys, 1), stack(finals, 0) };
    }

    public static Tensor[] Lstm(NodeProto node, Tensor?[] inputs)
    {
        CheckSupported(node, inputs, "sigmoid", "tanh", "tanh");
        if (Arg(inputs, 7) is not null)
        {
            throw Unsupported(node, "LSTM peepholes");
        }

        var (x, w, r, b, hidden, directions) = Common(node, inputs, gates: 4);
        var h0 = Arg(inputs, 5);
        var c0 = Arg(inputs, 6);
        var ys = new List<Tensor>();
        var hs = new List<Tensor>();
        var cs = new List<Tensor>();
        for (var d = 0; d < directions; d++)
        {
            var wb = b is null ? null : b[d].narrow(0, 0, 4 * hidden) + b[d].narrow(0, 4 * hidden, 4 * hidden);
            var h = h0 is null ? zeros(x.shape[1], hidden) : h0[d];
            var c = c0 is null ? zeros(x.shape[1], hidden) : c0[d];
            var steps = new Tensor[x.shape[0]];
            foreach (var t in Order(x.shape[0], Reverse(node, d)))
            {
                var gates = Lin(x[t], w[d], wb) + Lin(h, r[d], null);
                var i = gates.narrow(1, 0, hidden).sigmoid();
                var o = gates.narrow(1, hidden, hidden).sigmoid();
                var f = gates.narrow(1, 2 * hidden, hidden).sigmoid();
                var g = gates.narrow(1, 3 * hidden, hidden).tanh();
                c = f * c + i * g;
                h = o * c.tanh();
                steps[t] = h;
            }

            ys.Add(stack(steps, 0));
            hs.Add(h);
            cs.Add(c);
        }

        return new[] { stack(ys, 1), stack(hs, 0), stack(cs, 0) };
    }

    private static (Tensor X, Tensor W, Tensor R, Tensor? B, long Hidden, int Directions) Common(NodeProto node, Tensor?[] inputs, int gates)
    {
        var x = Arg(inputs, 0) ?? throw Unsupported(node, "a recurrent node without input");
        var w = Arg(inputs, 1) ?? throw Unsupported(node, "a recurrent node without W");
        var r = Arg(inputs, 2) ?? throw Unsupported(node, "a recurrent node without R");
        var hidden = node.GetInt("hidden_size", r.shape[^1]);
        if (w.shape[1] != gates * hidden)
        {
            throw Unsupported(node, $"W of shape [{string.Join(",", w.shape)}] for hidden size {hidden}");
        }

        return (x, w, r, Arg(inputs, 3), hidden, (int)w.shape[0]);
    }

    private static void CheckSupported(NodeProto node, Tensor?[] inputs, params string[] defaults)
    {
        if (node.GetInt("layout", 0) != 0 || node.HasAttribute("clip") || Arg(inputs, 4) is not null)
        {
            throw Unsupported(node, $"{node.OpType} with layout, clip or sequence_lens");
        }

        var activations = node.Attribute.FirstOrDefault(a => a.Name == "activations")?.Strings.Select(s => s.ToStringUtf8().ToLowerInvariant()).ToArray();
        var expected = Enumerable.Range(0, node.GetString("direction", "forward") == "bidirectional" ? 2 : 1).SelectMany(_ => defaults).ToArray();
        if (activations is { Length: > 0 } && !activations.SequenceEqual(expected))
        {
            throw Unsupported(node, $"{node.OpType} activations {string.Join(",", activations)}");
        }
    }

    private static bool Reverse(NodeProto node, int direction) =>
        node.GetString("direction", "forward") switch
        {
            "forward" => false,
            "reverse" => true,
            "bidirectional" => direction == 1,
            var other => throw Unsupported(node, $"direction '{other}'"),
        };

    private static IEnumerable<long> Order(long steps, bool reverse) =>
        reverse ? Enumerable.Range(0, (int)steps).Reverse().Select(i => (long)i) : Enumerable.Range(0, (int)steps).Select(i => (long)i);

    private static Tensor Lin(Tensor x, Tensor w, Tensor? bias) => bias is null ? OnnxTorchOps.MatMul(x, w.t()) : OnnxTorchOps.MatMul(x, w.t()) + bias;

    private static (Tensor, Tensor, Tensor) Chunk3(Tensor t)
    {
        var parts = t.chunk(3, 0);
        return (parts[0], parts[1], parts[2]);
    }

    private static (Tensor, Tensor, Tensor, Tensor, Tensor, Tensor) Chunk6(Tensor t)
    {
        var p = t.chunk(6, 0);
        return (p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    private static Tensor? Arg(Tensor?[] inputs, int i) => i < inputs.Length ? inputs[i] : null;

    private static AdaDeepException Unsupported(NodeProto node, string what) =>
        new(ErrorCodes.TechniqueNotApplicable, $"the TorchSharp bridge does not support {what} (node '{GraphValidator.NodeLabel(node)}')");
}
