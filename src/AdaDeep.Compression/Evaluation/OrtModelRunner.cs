using AdaDeep.Compression.Data;
using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Compression.Evaluation;

/// <summary>
/// Runs one model in ONNX Runtime over a data set: one InferenceSession for the model's bytes, reused for every
/// batch. Feeds every runtime input: the primary one from <see cref="Dataset.X"/>, the others from
/// <see cref="Dataset.Extras"/> by name, each converted to the input's own element type (float16, int64, bool, …);
/// reads the first output as floats. A fixed batch dimension (mnist-8's is 1) is honoured by feeding batches of
/// exactly that size (the last one padded with zeros, its padding dropped). A feed that is one whole tensor per
/// sample (a recurrent state [2,N,128]) or a constant over a free dimension runs the samples one at a time.
/// Deterministic: sequential execution on a fixed number of threads (1 by default), so the same model and data give
/// the same outputs bit for bit.
/// </summary>
public sealed class OrtModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly TensorElementType _inputType;
    private readonly string _outputName;
    private readonly int? _fixedBatch;

    public OrtModelRunner(OnnxModel model, int intraOpThreads = 1)
    {
        Model = model;
        using var options = new SessionOptions
        {
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            // No CPU arena: it keeps the largest activations it ever held for the session's life, and the gate holds two
            // sessions (original and candidate) of a 640×640 dense model at once (issue 23's ≤ 4 GB).
            EnableCpuMemArena = false,
        };
        try
        {
            _session = new InferenceSession(model.ToBytes(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdaDeepException(ErrorCodes.ModelRuntimeRefused, $"ONNX Runtime cannot load the model: {e.Message}", model.SourcePath, e);
        }

        var runtimeInput = new GraphIndex(model.Graph).RuntimeInputs.FirstOrDefault()?.Name;
        _inputName = runtimeInput is not null && _session.InputMetadata.ContainsKey(runtimeInput)
            ? runtimeInput
            : _session.InputMetadata.Keys.First();
        var input = _session.InputMetadata[_inputName];
        _inputType = input.ElementDataType;
        _fixedBatch = input.Dimensions.Length > 0 && input.Dimensions[0] > 0 ? input.Dimensions[0] : null;
        _outputName = model.Graph.Output.FirstOrDefault()?.Name ?? _session.OutputMetadata.Keys.First();
    }

    public OnnxModel Model { get; }

    /// <summary>The batch size the model's input fixes, or null when the batch dimension is free.</summary>
    public int? FixedBatch => _fixedBatch;

    /// <summary>Runs every sample of <paramref name="data"/> (reshaped to the model's input, see Dataset.ConformTo).</summary>
    public ModelOutputs Run(Dataset data, int batchSize = 64) =>
        RunOutputs(data, new[] { _outputName }, batchSize, requireBatchFirst: true)[0]!;

    /// <summary>
    /// The top-1 index of every sample's first output, <paramref name="chunk"/> samples at a time, so dense outputs are
    /// never all held at once (a 21×640×640 segmentation map is 34 MB a sample; 256 of them would be 8.8 GB).
    /// </summary>
    public int[] Top1(Dataset data, int chunk = 8)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        if (data.Count <= chunk)
        {
            return Run(data).Top1();
        }

        var result = new int[data.Count];
        for (var start = 0; start < data.Count; start += chunk)
        {
            var n = Math.Min(chunk, data.Count - start);
            Run(data.Subset(Enumerable.Range(start, n).ToArray())).Top1().CopyTo(result, start);
        }

        return result;
    }

    /// <summary>
    /// Every graph output for every sample, in graph order (the validation gate compares them all). An output whose
    /// first dimension is not the batch, or that is not numeric, is null: it is not compared per sample.
    /// </summary>
    public IReadOnlyList<(string Name, ModelOutputs? Outputs)> RunAll(Dataset data, int batchSize = 64)
    {
        var names = Model.Graph.Output.Select(o => o.Name).Where(_session.OutputMetadata.ContainsKey).ToArray();
        var outputs = RunOutputs(data, names, batchSize, requireBatchFirst: false);
        return names.Select((n, i) => (n, outputs[i])).ToArray();
    }

    private ModelOutputs?[] RunOutputs(Dataset data, string[] outputNames, int batchSize, bool requireBatchFirst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        data = data.ConformTo(Model);
        var extras = ExtraFeeds(data);
        var batch = _fixedBatch ?? (extras.Any(e => e.OneSampleAtATime) ? 1 : batchSize);
        var sampleSize = data.SampleSize;
        var values = new float[]?[outputNames.Length];
        var outputShapes = new int[]?[outputNames.Length];
        var outputSizes = new int[outputNames.Length];
        var notPerSample = new bool[outputNames.Length];
        for (var start = 0; start < data.Count; start += batch)
        {
            var n = Math.Min(batch, data.Count - start);
            var fed = _fixedBatch ?? n;
            var input = new float[fed * sampleSize];
            data.X.AsSpan(start * sampleSize, n * sampleSize).CopyTo(input);
            var names = new List<string> { _inputName };
            var feeds = new List<OrtValue>();
            try
            {
                feeds.Add(OrtTensors.Create(_inputName, _inputType, input, BatchShape(fed, data.SampleShape)));
                foreach (var extra in extras)
                {
                    names.Add(extra.Feed.Name);
                    feeds.Add(extra.Create(start, n, fed));
                }

                using var runOptions = new RunOptions();
                using var results = RunOnce(runOptions, names, feeds, outputNames);
                for (var o = 0; o < outputNames.Length; o++)
                {
                    if (notPerSample[o])
                    {
                        continue;
                    }

                    var output = results[o];
                    var dims = output.GetTensorTypeAndShape().Shape;
                    float[] outputValues;
                    try
                    {
                        outputValues = dims.Length == 0 || dims[0] != fed ? Array.Empty<float>() : OrtTensors.ReadFloats(output, outputNames[o]);
                    }
                    catch (AdaDeepException) when (!requireBatchFirst)
                    {
                        // Outputs that are not numbers (strings) are not compared as values.
                        notPerSample[o] = true;
                        continue;
                    }

                    if (dims.Length == 0 || dims[0] != fed)
                    {
                        if (requireBatchFirst)
                        {
                            throw new AdaDeepException(ErrorCodes.ModelInvalidShape,
                                $"the output '{outputNames[o]}' has shape [{string.Join(",", dims)}]; AdaDeep expects the batch ({fed}) first", Model.SourcePath);
                        }

                        notPerSample[o] = true;
                        continue;
                    }

                    if (values[o] is null)
                    {
                        outputShapes[o] = dims[1..].Select(d => checked((int)d)).ToArray();
                        outputSizes[o] = outputValues.Length / fed;
                        values[o] = new float[data.Count * outputSizes[o]];
                    }

                    outputValues.AsSpan(0, n * outputSizes[o]).CopyTo(values[o].AsSpan(start * outputSizes[o]));
                }
            }
            finally
            {
                foreach (var feed in feeds)
                {
                    feed.Dispose();
                }
            }
        }

        return outputNames.Select((_, o) => notPerSample[o] ? null : new ModelOutputs(values[o] ?? Array.Empty<float>(), outputShapes[o] ?? Array.Empty<int>())).ToArray();
    }

    public void Dispose() => _session.Dispose();

    private IDisposableReadOnlyCollection<OrtValue> RunOnce(RunOptions runOptions, List<string> names, List<OrtValue> feeds, string[] outputNames)
    {
        try
        {
            return _session.Run(runOptions, names, feeds, outputNames);
        }
        catch (OnnxRuntimeException e)
        {
            var shapes = string.Join(", ", names.Select((name, i) => $"{name} [{string.Join(",", feeds[i].GetTensorTypeAndShape().Shape)}]"));
            throw new AdaDeepException(ErrorCodes.ModelRunFailed, $"ONNX Runtime cannot run the model on {shapes}: {e.Message}", Model.SourcePath, e);
        }
    }

    internal static long[] BatchShape(int batch, int[] sampleShape) => sampleShape.Select(d => (long)d).Prepend(batch).ToArray();

    /// <summary>How each runtime input other than the primary one is fed; a coded error names an input without data.</summary>
    private List<ExtraFeed> ExtraFeeds(Dataset data)
    {
        var result = new List<ExtraFeed>();
        foreach (var (name, metadata) in _session.InputMetadata)
        {
            if (name == _inputName)
            {
                continue;
            }

            var feed = data.Feed(name) ?? throw new AdaDeepException(ErrorCodes.InputMissing,
                $"the model input '{name}' ({metadata.ElementDataType} [{string.Join(",", metadata.Dimensions.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]) has no values: give it an array '{name}' in the .npz data set, an input_K.pb in test_data_set_N, or --input {name}=VALUE|FILE",
                Model.SourcePath);
            if (!metadata.IsTensor)
            {
                throw new AdaDeepException(ErrorCodes.InputTypeUnsupported, $"the model input '{name}' is a {metadata.OnnxValueType}, not a tensor", Model.SourcePath);
            }

            var rank = metadata.Dimensions.Length;
            var batched = feed.Shape.Length == rank - 1;
            if (!batched && feed.Shape.Length != rank)
            {
                throw new AdaDeepException(ErrorCodes.InputSpecInvalid,
                    $"the values for input '{name}' have shape [{string.Join(",", feed.Shape)}], which does not fit the input's rank {rank}", feed.Source);
            }

            // A whole tensor per sample cannot be stacked; a constant over a free dimension fits a batch of one only.
            var oneAtATime = !batched && (feed.PerSample || metadata.Dimensions.Any(d => d < 0));
            result.Add(new ExtraFeed(feed, metadata.ElementDataType, batched, oneAtATime));
        }

        return result;
    }

    private sealed record ExtraFeed(InputFeed Feed, TensorElementType Type, bool Batched, bool OneSampleAtATime)
    {
        public OrtValue Create(int start, int n, int fed)
        {
            var size = Feed.Size;
            if (!Batched)
            {
                // Whole tensors: a per-sample one is fed one sample at a time (start is that sample).
                var offset = Feed.PerSample ? start * size : 0;
                return OrtTensors.Create(Feed.Name, Type, Feed.Values.AsSpan(offset, size), Feed.Shape.Select(d => (long)d).ToArray());
            }

            var values = new double[fed * size];
            for (var i = 0; i < n; i++)
            {
                // Per-sample rows in order; a constant of one sample's shape is repeated for every sample.
                Feed.Values.AsSpan(Feed.PerSample ? (start + i) * size : 0, size).CopyTo(values.AsSpan(i * size, size));
            }

            return OrtTensors.Create(Feed.Name, Type, values, BatchShape(fed, Feed.Shape));
        }
    }
}
