using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Binds a data set to a model's runtime inputs by name: test_data_set tensors without a name (<c>#K</c>) take the
/// K-th runtime input's; an .npz without <c>x</c> gets the array named after the model's first input as its samples;
/// a per-sample feed whose values are equal for every sample becomes a constant (so that batches can be stacked);
/// a scalar constant for a tensor input is filled to the input's resolved shape. <see cref="CheckAllFed"/> then
/// names any runtime input still without values (InputMissing), instead of leaving ONNX Runtime to fail.
/// </summary>
public static class InputBinding
{
    public static Dataset Bind(Dataset data, OnnxModel model)
    {
        var runtime = new GraphIndex(model.Graph).RuntimeInputs;
        var extras = data.Extras.Select(e => e.Name.StartsWith('#') && int.TryParse(e.Name[1..], out var k) && k < runtime.Count
            ? e with { Name = runtime[k].Name }
            : e).ToList();
        data = data with { Extras = extras };
        if (runtime.Count > 0 && data.PrimaryName is { } stored && stored != runtime[0].Name && data.Feed(runtime[0].Name) is null
            && data.Source.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed,
                $"the archive has no array 'x' and none named after the model's first input '{runtime[0].Name}' (it holds: {string.Join(", ", data.Extras.Select(e => e.Name).Prepend(stored))})",
                data.Source);
        }

        if (runtime.Count > 0 && data.PrimaryName is { } primary && primary != runtime[0].Name && data.Feed(runtime[0].Name) is { PerSample: true } first)
        {
            // The samples were stored under another input's name: swap that array and the first input's.
            var moved = new InputFeed(primary, data.SampleShape, data.X.Select(v => (double)v).ToArray(), true, data.Source);
            data = data with
            {
                X = first.Values.Select(v => (float)v).ToArray(),
                SampleShape = first.Shape.Length == 0 ? new[] { 1 } : first.Shape,
                PrimaryName = runtime[0].Name,
                Extras = data.Extras.Where(e => e.Name != runtime[0].Name).Append(moved).ToArray(),
            };
        }

        return data with { Extras = data.Extras.Select(e => Collapse(e, data.Count)).ToArray() };
    }

    /// <summary>Fills each scalar constant given for a tensor input (--input state=0) to that input's resolved shape.</summary>
    public static Dataset Fill(Dataset data, InputShapes shapes)
    {
        var extras = data.Extras.Select(e =>
        {
            var input = shapes.Inputs.FirstOrDefault(i => i.Name == e.Name);
            if (e.PerSample || e.Shape.Length != 0 || input is null || input.Shape.Length == 0)
            {
                return e;
            }

            var shape = input.Shape.Select(d => checked((int)d)).ToArray();
            return e with { Shape = shape, Values = Enumerable.Repeat(e.Values[0], shape.Aggregate(1, (a, b) => a * b)).ToArray() };
        }).ToArray();
        return data with { Extras = extras };
    }

    /// <summary>Throws InputMissing naming the first runtime input (after the first) that has no feed.</summary>
    public static void CheckAllFed(Dataset data, OnnxModel model)
    {
        foreach (var input in new GraphIndex(model.Graph).RuntimeInputs.Skip(1))
        {
            if (data.Feed(input.Name) is null)
            {
                var type = input.Type?.TensorType;
                var dims = type?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.IsNullOrEmpty(d.DimParam) ? "?" : d.DimParam) ?? Array.Empty<string>();
                throw new AdaDeepException(ErrorCodes.InputMissing,
                    $"the model input '{input.Name}' ({ElementTypeName(type?.ElemType ?? 0)} [{string.Join(",", dims)}]) has no values: give it an array '{input.Name}' in the .npz data set, an input_K.pb in each test_data_set_N folder, or --input {input.Name}=VALUE|FILE (item metadata Inputs)",
                    model.SourcePath);
            }
        }
    }

    public static string ElementTypeName(int elemType) => ((AdaDeep.Onnx.Proto.TensorProto.Types.DataType)elemType).ToString().ToLowerInvariant();

    private static InputFeed Collapse(InputFeed feed, int count)
    {
        if (!feed.PerSample || count < 2)
        {
            return feed;
        }

        var size = feed.Size;
        var first = feed.Values.AsSpan(0, size);
        for (var i = 1; i < count; i++)
        {
            if (!feed.Values.AsSpan(i * size, size).SequenceEqual(first))
            {
                return feed;
            }
        }

        return feed with { PerSample = false, Values = first.ToArray() };
    }
}
