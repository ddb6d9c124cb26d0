using System.Globalization;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Data;

/// <summary>One runtime input's resolved shape: batch dimensions as 1 (<see cref="Batch"/> marks them), every other
/// dimension its real size, and where that size came from.</summary>
public sealed record ResolvedInput(string Name, long[] Shape, bool[] Batch, string Origin)
{
    public override string ToString() =>
        $"{Name} [{string.Join(",", Shape.Select((d, i) => Batch[i] ? "N=1" : d.ToString(CultureInfo.InvariantCulture)))}] ({Origin})";
}

/// <summary>
/// The real shapes of a model's runtime inputs (issue 14.1): free dimensions are resolved from --input-shape /
/// InputShape, else from the data (the data set or the model's test_data_set), never silently 1 — only batch
/// dimensions (the first input's first free dimension and free dimensions of the same name) are 1, since costs are
/// per inference. <see cref="Pin"/> writes the sizes into a copy of the model so that shape inference, costs, the
/// latency meter and ONNX Runtime all see them; <see cref="Unpin"/> gives the shipped model its original, free
/// input and output declarations back.
/// </summary>
public sealed class InputShapes
{
    private InputShapes(IReadOnlyList<ResolvedInput> inputs)
    {
        Inputs = inputs;
    }

    public IReadOnlyList<ResolvedInput> Inputs { get; }

    /// <summary>Whether any free non-batch dimension was resolved and is not left free (the model needs pinning).</summary>
    public bool PinsAnything { get; private init; }

    /// <summary>
    /// Resolved dimensions <see cref="Pin"/> leaves free (see <see cref="LeavingFree"/>): ONNX Runtime refused the model
    /// with them pinned. Shape inference then counts them as the batch size (1).
    /// </summary>
    public IReadOnlyList<(string Input, int Dim)> LeftFree { get; private init; } = Array.Empty<(string, int)>();

    /// <summary>Every dimension <see cref="Pin"/> writes into <paramref name="model"/>: (input, dimension, size).</summary>
    public IReadOnlyList<(string Input, int Dim, long Size)> PinnedDims(OnnxModel model)
    {
        var pinned = new List<(string, int, long)>();
        foreach (var input in model.Graph.Input)
        {
            var r = Inputs.FirstOrDefault(i => i.Name == input.Name);
            var dims = Dims(input);
            if (r is null || dims.Count != r.Shape.Length)
            {
                continue;
            }

            for (var i = 0; i < dims.Count; i++)
            {
                if (!Fixed(dims[i]) && !r.Batch[i] && !LeftFree.Contains((input.Name, i)))
                {
                    pinned.Add((input.Name, i, r.Shape[i]));
                }
            }
        }

        return pinned;
    }

    /// <summary>The same shapes with <paramref name="dims"/> (input, dimension) left free by <see cref="Pin"/> as well.</summary>
    public InputShapes LeavingFree(OnnxModel model, IEnumerable<(string Input, int Dim)> dims)
    {
        var left = LeftFree.Union(dims).ToArray();
        var stillPins = PinsAnything && new InputShapes(Inputs) { LeftFree = left }.PinnedDims(model).Count > 0;
        return new InputShapes(Inputs) { LeftFree = left, PinsAnything = stillPins };
    }

    /// <summary>"x [N=1,3,48,192] (--input-shape)"; one entry per runtime input.</summary>
    public string Describe() => string.Join("; ", Inputs);

    /// <summary>
    /// Resolves every runtime input. <paramref name="specs"/> come first (a name of "" means the first input), then
    /// <paramref name="data"/> (its samples feed the first input, its extras the others). Throws InputSpecInvalid for a
    /// spec that names no input or contradicts a fixed dimension, InputShapeUnresolved for a free non-batch
    /// dimension that nothing sizes.
    /// </summary>
    public static InputShapes Resolve(OnnxModel model, IReadOnlyList<(string Name, long[] Shape)> specs, Dataset? data)
    {
        var runtime = new GraphIndex(model.Graph).RuntimeInputs;
        foreach (var (name, _) in specs)
        {
            if (name.Length > 0 && runtime.All(i => i.Name != name))
            {
                throw new AdaDeepException(ErrorCodes.InputSpecInvalid,
                    $"--input-shape names '{name}', which is not a runtime input of the model (its inputs: {string.Join(", ", runtime.Select(i => i.Name))})",
                    model.SourcePath);
            }
        }

        var batchParam = runtime.Count > 0 ? Dims(runtime[0]).FirstOrDefault() is { } d0 && !d0.HasDimValue ? d0.DimParam : null : null;
        var resolved = new List<ResolvedInput>();
        var pins = false;
        for (var k = 0; k < runtime.Count; k++)
        {
            var input = runtime[k];
            var dims = Dims(input);
            var batch = dims.Select((d, i) => !Fixed(d) && ((k == 0 && i == 0) || (!string.IsNullOrEmpty(batchParam) && d.DimParam == batchParam) || (i == 0 && string.IsNullOrEmpty(d.DimParam) && string.IsNullOrEmpty(batchParam)))).ToArray();
            var shape = dims.Select(d => Fixed(d) ? d.DimValue : -1L).ToArray();
            var origin = "declared";
            var spec = specs.FirstOrDefault(s => s.Name == input.Name || (k == 0 && s.Name.Length == 0));
            long[]? given = null;
            if (spec.Shape is not null)
            {
                given = spec.Shape;
                origin = "--input-shape";
                if (given.Length != dims.Count)
                {
                    throw new AdaDeepException(ErrorCodes.InputSpecInvalid,
                        $"--input-shape gives '{input.Name}' {given.Length} dimensions, but the input has {dims.Count} ([{Show(shape)}])", model.SourcePath);
                }
            }
            else if (data is not null && FromData(data, input.Name, k == 0, dims.Count) is { } fromData)
            {
                given = fromData;
                origin = data.Source;
            }

            for (var i = 0; i < shape.Length; i++)
            {
                if (given is not null && shape[i] > 0 && given[i] != shape[i] && !(batch[i] || (i == 0 && k == 0)))
                {
                    // A spec that contradicts the model is the user's option; data that does is the data set's shape.
                    throw spec.Shape is not null
                        ? new AdaDeepException(ErrorCodes.InputSpecInvalid,
                            $"'{input.Name}' is declared [{Show(shape)}] but {origin} gives [{string.Join(",", given)}] (dimension {i} differs)", model.SourcePath)
                        : new AdaDeepException(ErrorCodes.DatasetShapeMismatch,
                            $"the model input '{input.Name}' has shape [{Show(shape)}] but the data set's samples are [{string.Join(",", given.Skip(k == 0 ? 1 : 0))}] (dimension {i} differs)", data?.Source);
                }

                if (shape[i] > 0)
                {
                    continue;
                }

                if (batch[i])
                {
                    shape[i] = 1;
                }
                else if (given is not null)
                {
                    shape[i] = given[i];
                    pins = true;
                }
                else
                {
                    throw new AdaDeepException(ErrorCodes.InputShapeUnresolved,
                        $"the model input '{input.Name}' has free dimensions ([{Show(shape)}]) and no data sizes them; pass --input-shape {input.Name}={string.Join("x", shape.Select((v, j) => v > 0 ? v.ToString(CultureInfo.InvariantCulture) : batch[j] ? "1" : Symbol(dims[j], j)))} (item metadata InputShape) or a data set",
                        model.SourcePath);
                }
            }

            resolved.Add(new ResolvedInput(input.Name, shape, batch, origin == "declared" && batch.Any(b => b) ? "declared, batch 1" : origin));
        }

        return new InputShapes(resolved) { PinsAnything = pins };
    }

    /// <summary>A copy of <paramref name="model"/> whose inputs declare the resolved sizes (batch dimensions stay free).</summary>
    public OnnxModel Pin(OnnxModel model)
    {
        if (!PinsAnything)
        {
            return model;
        }

        var pinned = model.Clone();
        foreach (var (name, dim, size) in PinnedDims(model))
        {
            pinned.Graph.Input.First(i => i.Name == name).Type.TensorType.Shape.Dim[dim] = new TensorShapeProto.Types.Dimension { DimValue = size };
        }

        return pinned;
    }

    /// <summary>
    /// <paramref name="shipped"/> with the input and output declarations of <paramref name="original"/> (free
    /// dimensions free again) and no top-level value_info, which may hold the pinned sizes; ONNX Runtime infers it.
    /// </summary>
    public static OnnxModel Unpin(OnnxModel shipped, OnnxModel original)
    {
        var result = shipped.Clone();
        Restore(result.Graph.Input, original.Graph.Input);
        Restore(result.Graph.Output, original.Graph.Output);
        result.Graph.ValueInfo.Clear();
        return result;
    }

    private static void Restore(Google.Protobuf.Collections.RepeatedField<ValueInfoProto> target, IEnumerable<ValueInfoProto> source)
    {
        var declared = source.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var value in target)
        {
            if (declared.TryGetValue(value.Name, out var original) && original.Type?.TensorType is { } type &&
                value.Type?.TensorType is { } current && current.ElemType == type.ElemType)
            {
                value.Type = original.Type.Clone();
            }
        }
    }

    /// <summary>The input's full shape as the data gives it (batch included as 1), or null when the data does not fit.</summary>
    private static long[]? FromData(Dataset data, string name, bool primary, int rank)
    {
        if (primary)
        {
            return data.SampleShape.Length == rank - 1 ? data.SampleShape.Select(d => (long)d).Prepend(1).ToArray() : null;
        }

        if (data.Feed(name) is not { } feed || (!feed.PerSample && feed.Shape.Length == 0 && rank > 0))
        {
            return null; // a scalar constant filled into a tensor input takes the input's shape
        }

        return feed.Shape.Length == rank ? feed.Shape.Select(d => (long)d).ToArray()
            : feed.Shape.Length == rank - 1 ? feed.Shape.Select(d => (long)d).Prepend(1).ToArray()
            : null;
    }

    private static IReadOnlyList<TensorShapeProto.Types.Dimension> Dims(ValueInfoProto input) =>
        (IReadOnlyList<TensorShapeProto.Types.Dimension>?)input.Type?.TensorType?.Shape?.Dim ?? Array.Empty<TensorShapeProto.Types.Dimension>();

    private static bool Fixed(TensorShapeProto.Types.Dimension d) => d.HasDimValue && d.DimValue > 0;

    private static string Symbol(TensorShapeProto.Types.Dimension d, int i) => string.IsNullOrEmpty(d.DimParam) ? $"D{i}" : d.DimParam;

    private static string Show(long[] shape) => string.Join(",", shape.Select(d => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : "?"));
}
