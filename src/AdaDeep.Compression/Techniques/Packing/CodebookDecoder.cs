using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Packing;

/// <summary>
/// The in-graph decoder of a <see cref="CodebookEncoding"/>, in standard ops (opset 11) on constants only, so ONNX
/// Runtime folds it into the dense weight when the session is created:
/// <code>
/// bits   = Cast(Reshape(Slice(Reshape(Mod(Div(Reshape(Cast(stream, int32), [-1,1]), [1,2,…,128]), 2), [-1]), 0, E·w), [E, w]), float)
/// fields = Cast(Gemm(bits, weights, [1, 0]), int32)          // sparse: [gap + 1, index]; dense: MatMul, [index]
/// dense:  w = Reshape(Gather(codebook, fields), dims)
/// sparse: w = Reshape(ScatterElements(ConstantOfShape([n]), CumSum(fields[:,0]) − 1, Gather(codebook, fields[:,1])), dims)
/// </code>
/// A codebook whose values are all exact in fp16 is stored as fp16 and cast back (exact).
/// </summary>
internal static class CodebookDecoder
{
    public static bool HalfExact(float[] values) => values.All(v => (float)(Half)v == v);

    public static IEnumerable<NodeProto> Build(RewriteSession s, WeightPacker.SharedConstants c, string name, CodebookEncoding e, long[] dims, string stem)
    {
        var half = HalfExact(e.Codebook);
        var streamName = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "s"), TensorData.UInt8, new long[] { e.Stream.Length }, e.Stream));
        var codebook = half
            ? s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "c"), (int)TensorProto.Types.DataType.Float16, new long[] { e.Codebook.Length }, HalfBytes(e.Codebook)))
            : s.AddFloats(stem + "c", new long[] { e.Codebook.Length }, e.Codebook);
        var end = s.AddInt64s(stem + "e", new long[] { (long)e.Entries * e.EntryBits });
        var grid = s.AddInt64s(stem + "g", new long[] { e.Entries, e.EntryBits });
        var columns = e.IsSparse ? 2 : 1;
        var weights = new float[e.EntryBits * columns];
        for (var j = 0; j < e.EntryBits; j++)
        {
            var isGap = j < e.GapBits;
            var column = isGap || !e.IsSparse ? 0 : 1;
            weights[j * columns + column] = 1 << (isGap ? j : j - e.GapBits);
        }

        var weightName = s.AddFloats(stem + "w", new long[] { e.EntryBits, columns }, weights);
        var shape = s.AddInt64s(stem + "d", dims);

        var step = 0;
        var nodes = new List<NodeProto>();
        string Op(string opType, params string[] inputs) => Emit(opType, null, inputs);
        string Emit(string opType, Action<NodeProto>? configure, string[] inputs, string? output = null)
        {
            var node = s.NewNode(opType, $"{stem}{step}", inputs, new[] { output ?? s.Fresh($"{stem}.{step}") });
            step++;
            configure?.Invoke(node);
            nodes.Add(node);
            return node.Output[0];
        }

        var ints = Emit("Cast", n => n.SetInt("to", TensorData.Int32), new[] { streamName });
        var bits = Op("Reshape", Op("Mod", Op("Div", Op("Reshape", ints, c.Column), c.Powers), c.Two), c.Row);
        var table = Emit("Cast", n => n.SetInt("to", TensorData.Float), new[] { Op("Reshape", Op("Slice", bits, c.Zero, end, c.Zero), grid) });
        var sums = e.IsSparse
            ? Emit("Gemm", null, new[] { table, weightName, c.GapBias })
            : Op("MatMul", table, weightName);
        var fields = Emit("Cast", n => n.SetInt("to", TensorData.Int32), new[] { sums });
        var book = half ? Emit("Cast", n => n.SetInt("to", TensorData.Float), new[] { codebook }) : codebook;
        if (!e.IsSparse)
        {
            Emit("Reshape", null, new[] { Emit("Gather", n => n.SetInt("axis", 0), new[] { book, fields }), shape }, name);
            return nodes;
        }

        var steps = Emit("Gather", n => n.SetInt("axis", 1), new[] { fields, c.FirstColumn });
        var indices = Emit("Gather", n => n.SetInt("axis", 1), new[] { fields, c.SecondColumn });
        var positions = Op("Sub", Op("CumSum", steps, c.Axis), c.One);
        var values = Emit("Gather", n => n.SetInt("axis", 0), new[] { book, indices });
        var zeros = Op("ConstantOfShape", s.AddInt64s(stem + "n", new[] { e.Length }));
        var flat = Emit("ScatterElements", n => n.SetInt("axis", 0), new[] { zeros, positions, values });
        Emit("Reshape", null, new[] { flat, shape }, name);
        return nodes;
    }

    private static byte[] HalfBytes(float[] values)
    {
        var raw = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 2), (Half)values[i]);
        }

        return raw;
    }
}
