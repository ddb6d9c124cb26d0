using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques.Packing;

/// <summary>
/// Makes the zeros of pruned and sparse weights (W2, W3, C1, C3, …) count in the file that ships, while the model
/// stays a plain ONNX graph that ONNX Runtime runs. A weight with many exact zeros is stored as its non-zero values
/// (after a leading 0) and a bit mask of uint8 (LSB first); a small subgraph of standard ops rebuilds it:
/// <code>
/// bits  = Slice(Reshape(Mod(Div(Reshape(Cast(mask, int32), [-1,1]), [1,2,4,…,128]), 2), [-1]), 0, n)
/// dense = Reshape(Gather(values, CumSum(bits) · bits), dims)
/// </code>
/// (position i takes the k-th non-zero when it is the k-th set bit, else values[0] = 0). ONNX Runtime folds the
/// subgraph into a constant when the session is created, so inference cost is unchanged. Float and int8 weights
/// are packed; int8 stays int8. The ops need opset 11 (CumSum, Slice with inputs): older models are raised only
/// when every operator they use keeps its meaning (OpsetCompatibility), and are otherwise left unpacked with the
/// reason. A weight is packed only when its saving exceeds the decoder's cost, and the result is kept only when
/// the whole file is smaller.
/// </summary>
public static class WeightPacker
{
    /// <summary>Opset the decoder needs.</summary>
    public const long DecoderOpset = 11;

    /// <summary>Metadata key on the packed model: how many weights it decodes in-graph.</summary>
    public const string PackedMetadataKey = "adadeep.packed_tensors";

    /// <summary>
    /// Bytes one tensor's decoder adds (10 nodes, 2 small constants, the tensor headers): about 450 measured on
    /// LeNet-like models, plus about 160 shared by all decoders. A weight must save more than this to be packed.
    /// </summary>
    public const long DecoderBytes = 500;

    public static OnnxModel Pack(OnnxModel model) => PackWithReport(model).Model;

    public static PackResult PackWithReport(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var before = model.ByteSize;
        var outputs = new HashSet<string>(model.Graph.Output.Select(o => o.Name));
        var plans = new List<Plan>();
        foreach (var t in model.Graph.Initializer)
        {
            if (t.DataType is not (TensorData.Float or TensorData.Int8) || t.Dims.Count == 0 || outputs.Contains(t.Name))
            {
                continue;
            }

            if (Choose(t) is { } plan)
            {
                plans.Add(plan);
            }
        }

        if (plans.Count == 0)
        {
            return new PackResult(model, Array.Empty<PackedTensor>(), before, before,
                "no weight has enough exact zeros to pay for its in-graph decoder");
        }

        if (!OpsetCompatibility.CanRaise(model, DecoderOpset, out var reason))
        {
            return new PackResult(model, Array.Empty<PackedTensor>(), before, before, $"kept unpacked: {reason}");
        }

        var s = new RewriteSession(model);
        OpsetCompatibility.Raise(s.Model, DecoderOpset);
        var shared = new SharedConstants(s);
        var decoders = new List<NodeProto>();
        for (var k = 0; k < plans.Count; k++)
        {
            var stem = $"pk{k}";
            decoders.AddRange(plans[k].Form switch
            {
                PackedForm.Codebook => CodebookDecoder.Build(s, shared, plans[k].Tensor.Name, plans[k].Codebook!, TakeInitializer(s, plans[k].Tensor.Name), stem),
                PackedForm.Half => HalfDecoder(s, plans[k].Tensor.Name, stem),
                _ => Decoder(s, shared, plans[k].Tensor.Name, stem),
            });
        }

        foreach (var n in decoders.AsEnumerable().Reverse())
        {
            s.Graph.Node.Insert(0, n);
        }

        s.Model.Proto.MetadataProps.Add(new StringStringEntryProto { Key = PackedMetadataKey, Value = plans.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var packedModel = s.Finish();
        var after = packedModel.ByteSize;
        if (after >= before)
        {
            return new PackResult(model, Array.Empty<PackedTensor>(), before, before,
                $"packing would not shrink the file ({after} bytes against {before})");
        }

        return new PackResult(packedModel, plans.Select(p => p.Info).ToArray(), before, after, null);
    }

    /// <summary>Bytes a codebook decoder adds (about 18 nodes and 6 small constants); the dense form needs fewer.</summary>
    public const long CodebookDecoderBytes = 700;

    /// <summary>Bytes the fp16 form adds (one Cast node).</summary>
    public const long HalfDecoderBytes = 60;

    /// <summary>How a weight is stored: zero mask + non-zeros, codebook indices (dense or relative-index sparse), fp16.</summary>
    public enum PackedForm
    {
        Mask,
        Codebook,
        Half,
    }

    private sealed record Plan(TensorProto Tensor, PackedTensor Info, PackedForm Form, CodebookEncoding? Codebook);

    /// <summary>The cheapest exact form of a weight, or null when none saves more than its decoder costs.</summary>
    private static Plan? Choose(TensorProto t)
    {
        var elementSize = TensorData.ElementSize(t.DataType);
        var n = TensorData.ElementCount(t);
        var values = TensorData.ToFloats(t);
        var nonZeros = values.LongCount(v => v != 0);
        var dense = n * elementSize;
        var best = (Form: PackedForm.Mask, Bytes: (nonZeros + 1) * elementSize + (n + 7) / 8, Cost: DecoderBytes, Codebook: (CodebookEncoding?)null);
        if (t.DataType == TensorData.Float)
        {
            if (CodebookEncoding.TryCodebook(values) is { } book)
            {
                var encoding = CodebookEncoding.Best(values, book);
                var bytes = encoding.DataBytes(CodebookDecoder.HalfExact(book));
                if (bytes + CodebookDecoderBytes < best.Bytes + best.Cost)
                {
                    best = (PackedForm.Codebook, bytes, CodebookDecoderBytes, encoding);
                }
            }

            if (CodebookDecoder.HalfExact(values) && n * 2 + HalfDecoderBytes < best.Bytes + best.Cost)
            {
                best = (PackedForm.Half, n * 2, HalfDecoderBytes, null);
            }
        }

        return dense - best.Bytes > best.Cost
            ? new Plan(t, new PackedTensor(t.Name, t.DataType, n, nonZeros, dense, best.Bytes) { Form = best.Form }, best.Form, best.Codebook)
            : null;
    }

    /// <summary>Removes a weight's initializer (and its graph input, IR &lt; 4) and returns its dims.</summary>
    private static long[] TakeInitializer(RewriteSession s, string name)
    {
        var tensor = s.Graph.Initializer.Single(i => i.Name == name);
        var dims = tensor.Dims.ToArray();
        s.Graph.Initializer.Remove(tensor);
        for (var j = s.Graph.Input.Count - 1; j >= 0; j--)
        {
            if (s.Graph.Input[j].Name == name)
            {
                s.Graph.Input.RemoveAt(j);
            }
        }

        return dims;
    }

    /// <summary>fp16 storage of a weight whose values are all exact in fp16, cast back to float (exact).</summary>
    private static IEnumerable<NodeProto> HalfDecoder(RewriteSession s, string name, string stem)
    {
        var values = TensorData.ToFloats(s.Graph.Initializer.Single(i => i.Name == name));
        var dims = TakeInitializer(s, name);
        var raw = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 2), (Half)values[i]);
        }

        var half = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "h"), (int)TensorProto.Types.DataType.Float16, dims, raw));
        var cast = s.NewNode("Cast", stem, new[] { half }, new[] { name });
        cast.SetInt("to", TensorData.Float);
        return new[] { cast };
    }

    /// <summary>Replaces the initializer by its packed parts and returns the nodes that rebuild it under its name.</summary>
    private static IEnumerable<NodeProto> Decoder(RewriteSession s, SharedConstants c, string name, string stem)
    {
        var tensor = s.Graph.Initializer.Single(i => i.Name == name);
        var values = TensorData.ToFloats(tensor);
        var n = values.Length;
        var mask = new byte[(n + 7) / 8];
        var nonZeroIndex = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (values[i] != 0)
            {
                mask[i / 8] |= (byte)(1 << (i % 8));
                nonZeroIndex.Add(i);
            }
        }

        var elementSize = TensorData.ElementSize(tensor.DataType);
        var raw = tensor.RawData.Length > 0 ? tensor.RawData.ToByteArray() : Dense(tensor, values);
        var packedValues = new byte[(nonZeroIndex.Count + 1) * elementSize]; // element 0 stays 0
        for (var k = 0; k < nonZeroIndex.Count; k++)
        {
            Buffer.BlockCopy(raw, nonZeroIndex[k] * elementSize, packedValues, (k + 1) * elementSize, elementSize);
        }

        var dims = tensor.Dims.ToArray();
        s.Graph.Initializer.Remove(tensor);
        for (var j = s.Graph.Input.Count - 1; j >= 0; j--)
        {
            if (s.Graph.Input[j].Name == name)
            {
                s.Graph.Input.RemoveAt(j); // IR < 4 listed weights as inputs; the opset raise lifted the IR version
            }
        }

        // Short names on purpose: every byte of the decoder counts against the saving.
        var maskName = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "_mask"), TensorData.UInt8, new long[] { mask.Length }, mask));
        var valuesName = s.AddTensor(TensorData.FromBytes(s.Fresh(stem + "_values"), tensor.DataType, new long[] { nonZeroIndex.Count + 1 }, packedValues));
        var ends = s.AddInt64s(stem + "_n", new long[] { n });
        var shape = s.AddInt64s(stem + "_dims", dims);

        var v = Enumerable.Range(0, 9).Select(i => s.Fresh($"{stem}.{i}")).ToArray();
        NodeProto Op(string opType, int step, params string[] inputs) =>
            s.NewNode(opType, $"{stem}/{step}", inputs, new[] { step < 9 ? v[step] : name });
        var cast = Op("Cast", 0, maskName);
        cast.SetInt("to", TensorData.Int32);
        var gather = Op("Gather", 8, valuesName, v[7]);
        gather.SetInt("axis", 0);
        return new[]
        {
            cast,
            Op("Reshape", 1, v[0], c.Column),
            Op("Div", 2, v[1], c.Powers),
            Op("Mod", 3, v[2], c.Two),
            Op("Reshape", 4, v[3], c.Row),
            Op("Slice", 5, v[4], c.Zero, ends, c.Zero),
            Op("CumSum", 6, v[5], c.Axis),
            Op("Mul", 7, v[6], v[5]),
            gather,
            Op("Reshape", 9, v[8], shape),
        };
    }

    private static byte[] Dense(TensorProto tensor, float[] values)
    {
        if (tensor.DataType == TensorData.Float)
        {
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            return raw;
        }

        return values.Select(v => unchecked((byte)(sbyte)v)).ToArray();
    }

    /// <summary>Constants every decoder shares, added once.</summary>
    internal sealed class SharedConstants
    {
        public SharedConstants(RewriteSession s)
        {
            Powers = s.AddTensor(Int32s(s.Fresh("pk_pow2"), new long[] { 8 }, new[] { 1, 2, 4, 8, 16, 32, 64, 128 }));
            Two = s.AddTensor(Int32s(s.Fresh("pk_two"), Array.Empty<long>(), new[] { 2 }));
            Axis = s.AddTensor(Int32s(s.Fresh("pk_axis"), Array.Empty<long>(), new[] { 0 }));
            Column = s.AddInt64s("pk_col", new long[] { -1, 1 });
            Row = s.AddInt64s("pk_row", new long[] { -1 });
            Zero = s.AddInt64s("pk_zero", new long[] { 0 });
            _session = s;
        }

        private readonly RewriteSession _session;
        private string? _one;
        private string? _gapBias;
        private string? _first;
        private string? _second;

        /// <summary>int32 scalar 1 (codebook decoders).</summary>
        public string One => _one ??= _session.AddTensor(Int32s(_session.Fresh("pk_one"), Array.Empty<long>(), new[] { 1 }));

        /// <summary>Gemm bias [1, 0]: turns a gap into the step to the next position.</summary>
        public string GapBias => _gapBias ??= _session.AddFloats("pk_gb", new long[] { 2 }, new[] { 1f, 0f });

        /// <summary>int64 scalars 0 and 1: Gather's column of the fields table.</summary>
        public string FirstColumn => _first ??= _session.AddTensor(TensorData.FromInt64s(_session.Fresh("pk_c0"), Array.Empty<long>(), new long[] { 0 }));

        public string SecondColumn => _second ??= _session.AddTensor(TensorData.FromInt64s(_session.Fresh("pk_c1"), Array.Empty<long>(), new long[] { 1 }));

        public string Powers { get; }

        public string Two { get; }

        public string Axis { get; }

        public string Column { get; }

        public string Row { get; }

        /// <summary>[0]: Slice start and axis.</summary>
        public string Zero { get; }

        private static TensorProto Int32s(string name, long[] dims, int[] values)
        {
            var raw = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            return TensorData.FromBytes(name, TensorData.Int32, dims, raw);
        }
    }
}
