using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Compression.Evaluation;

/// <summary>
/// Runs one model in ONNX Runtime over a data set: one InferenceSession for the model's bytes, reused for every
/// batch. Feeds the first runtime input and reads the first output. A fixed batch dimension (mnist-8's is 1) is
/// honoured by feeding batches of exactly that size (the last one padded with zeros, its padding dropped).
/// Deterministic: sequential execution on a fixed number of threads (1 by default), so the same model and data give
/// the same outputs bit for bit.
/// </summary>
public sealed class OrtModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
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
        };
        try
        {
            _session = new InferenceSession(model.ToBytes(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdaDeepException(ErrorCodes.ModelNotOnnx, $"ONNX Runtime cannot load the model: {e.Message}", model.SourcePath, e);
        }

        var runtimeInput = new GraphIndex(model.Graph).RuntimeInputs.FirstOrDefault()?.Name;
        _inputName = runtimeInput is not null && _session.InputMetadata.ContainsKey(runtimeInput)
            ? runtimeInput
            : _session.InputMetadata.Keys.First();
        var input = _session.InputMetadata[_inputName];
        if (input.ElementDataType != TensorElementType.Float)
        {
            _session.Dispose();
            throw new AdaDeepException(ErrorCodes.DatasetShapeMismatch,
                $"the model input '{_inputName}' takes {input.ElementDataType}; AdaDeep feeds float32 data", model.SourcePath);
        }

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
    /// Every graph output for every sample, in graph order (the validation gate compares them all). An output whose
    /// first dimension is not the batch, or that is not float32, is null: it is not compared per sample.
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
        var batch = _fixedBatch ?? batchSize;
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
            var shape = new long[data.SampleShape.Length + 1];
            shape[0] = fed;
            for (var i = 0; i < data.SampleShape.Length; i++)
            {
                shape[i + 1] = data.SampleShape[i];
            }

            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, new[] { _inputName }, new[] { inputValue }, outputNames);
            for (var o = 0; o < outputNames.Length; o++)
            {
                var output = results[o];
                var dims = output.GetTensorTypeAndShape().Shape;
                if (notPerSample[o])
                {
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

                if (!requireBatchFirst && output.GetTensorTypeAndShape().ElementDataType != TensorElementType.Float)
                {
                    // Integer outputs (indices, lengths) are not compared as values here.
                    notPerSample[o] = true;
                    continue;
                }

                var span = output.GetTensorDataAsSpan<float>();
                if (values[o] is null)
                {
                    outputShapes[o] = dims[1..].Select(d => checked((int)d)).ToArray();
                    outputSizes[o] = span.Length / fed;
                    values[o] = new float[data.Count * outputSizes[o]];
                }

                span[..(n * outputSizes[o])].CopyTo(values[o].AsSpan(start * outputSizes[o]));
            }
        }

        return outputNames.Select((_, o) => notPerSample[o] ? null : new ModelOutputs(values[o] ?? Array.Empty<float>(), outputShapes[o] ?? Array.Empty<int>())).ToArray();
    }

    public void Dispose() => _session.Dispose();
}
