using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Compression.Techniques.Quantization;

/// <summary>
/// Observes the range of one activation over calibration batches: the value is exposed as an extra graph
/// output of a copy of the model and read back from ONNX Runtime (min/max calibration).
/// </summary>
public static class ActivationCalibrator
{
    public static (float Min, float Max) Range(OnnxModel model, string value, CalibrationData calibration)
    {
        if (calibration.Batches.Count == 0)
        {
            throw new AdaDeepException(ErrorCodes.TechniqueCalibrationMissing, "calibration data holds no batch", model.SourcePath);
        }

        var index = new GraphIndex(model.Graph);
        if (calibration.Samples is { } samples)
        {
            return RangeOver(model, value, samples);
        }

        if (index.RuntimeInputs.Count != 1)
        {
            throw new AdaDeepException(ErrorCodes.TechniqueCalibrationMissing,
                $"calibration feeds one input, but the model has {index.RuntimeInputs.Count} runtime inputs", model.SourcePath);
        }

        var input = index.RuntimeInputs[0];
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        if (input.Name == value)
        {
            foreach (var batch in calibration.Batches)
            {
                foreach (var v in batch)
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            return (min, max);
        }

        var probe = model.Clone();
        probe.Graph.Output.Add(new ValueInfoProto
        {
            Name = value,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float } },
        });
        // Errors only: ORT warns about initializers listed as graph inputs (older exporters), which is harmless here.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(probe.ToBytes(), options);
        foreach (var batch in calibration.Batches)
        {
            var shape = calibration.InputShape ?? ShapeFor(input, batch.Length, model.SourcePath);
            var tensor = new DenseTensor<float>(batch, shape);
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input.Name, tensor) }, new[] { value });
            foreach (var v in results.First().AsEnumerable<float>())
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        return (min, max);
    }

    /// <summary>Min/max of <paramref name="value"/> over samples that feed every input: the value is made the probe's first
    /// output, which <see cref="OrtModelRunner"/> reads.</summary>
    private static (float Min, float Max) RangeOver(OnnxModel model, string value, Data.Dataset samples)
    {
        if (new GraphIndex(model.Graph).RuntimeInputs.FirstOrDefault()?.Name == value)
        {
            return samples.X.Length == 0 ? (0f, 0f) : (samples.X.Min(), samples.X.Max());
        }

        var probe = model.Clone();
        if (probe.Graph.Output.All(o => o.Name != value))
        {
            probe.Graph.Output.Insert(0, new ValueInfoProto
            {
                Name = value,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.Float } },
            });
        }
        else
        {
            var existing = probe.Graph.Output.First(o => o.Name == value);
            probe.Graph.Output.Remove(existing);
            probe.Graph.Output.Insert(0, existing);
        }

        using var runner = new Evaluation.OrtModelRunner(probe);
        var values = runner.Run(samples).Values;
        return values.Length == 0 ? (0f, 0f) : (values.Min(), values.Max());
    }

    /// <summary>The input's shape with its one symbolic dimension inferred from the batch length.</summary>
    internal static int[] ShapeFor(ValueInfoProto input, int length, string? path)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim.Select(d => d.DimValue > 0 ? (int)d.DimValue : -1).ToArray() ?? Array.Empty<int>();
        var fixedProduct = dims.Where(d => d > 0).Aggregate(1, (a, b) => a * b);
        var unknown = dims.Count(d => d < 0);
        if (dims.Length == 0 || unknown > 1 || length % fixedProduct != 0 || (unknown == 0 && length != fixedProduct))
        {
            throw new AdaDeepException(ErrorCodes.TechniqueCalibrationMissing,
                $"cannot fit a calibration batch of {length} values to input '{input.Name}' [{string.Join(",", dims)}]; pass CalibrationData.InputShape", path);
        }

        return dims.Select(d => d < 0 ? length / fixedProduct : d).ToArray();
    }
}
