using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Bench.Suites;

/// <summary>
/// Runs an original corpus model and its compressed file in ONNX Runtime on the export's test_data_set_0 inputs (every
/// input, by name) and says whether the outputs have the same names and shapes.
/// </summary>
public static class CorpusOutputs
{
    public static string Compare(string modelPath, byte[] compressed)
    {
        var data = Path.Combine(Path.GetDirectoryName(modelPath)!, "test_data_set_0");
        var inputs = Directory.GetFiles(data, "input_*.pb").Order(StringComparer.Ordinal).Select(TensorFile).ToList();
        var before = Outputs(File.ReadAllBytes(modelPath), inputs);
        var after = Outputs(compressed, inputs);
        if (!before.Select(o => o.Name).SequenceEqual(after.Select(o => o.Name)))
        {
            return $"no: outputs {string.Join(",", before.Select(o => o.Name))} became {string.Join(",", after.Select(o => o.Name))}";
        }

        var mismatch = before.Zip(after).FirstOrDefault(p => !p.First.Shape.SequenceEqual(p.Second.Shape));
        return mismatch == default
            ? $"yes ({string.Join(", ", before.Select(o => $"{o.Name}[{string.Join(",", o.Shape)}]"))})"
            : $"no: {mismatch.First.Name} [{string.Join(",", mismatch.First.Shape)}] became [{string.Join(",", mismatch.Second.Shape)}]";
    }

    private static TensorProto TensorFile(string path) => TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));

    private static List<(string Name, long[] Shape)> Outputs(byte[] model, List<TensorProto> inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var names = session.InputMetadata.Keys.ToList();
        var values = inputs.Take(names.Count).Select(ToOrt).ToList();
        try
        {
            var outputNames = session.OutputMetadata.Keys.ToList();
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, names.Take(values.Count).ToList(), values, outputNames);
            return outputNames.Select((n, i) => (n, outputs[i].GetTensorTypeAndShape().Shape)).ToList();
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    private static OrtValue ToOrt(TensorProto t)
    {
        var shape = t.Dims.ToArray();
        return (TensorProto.Types.DataType)t.DataType switch
        {
            TensorProto.Types.DataType.Float => OrtValue.CreateTensorValueFromMemory(TensorData.ToFloats(t), shape),
            TensorProto.Types.DataType.Int64 => OrtValue.CreateTensorValueFromMemory(TensorData.ToInt64s(t), shape),
            TensorProto.Types.DataType.Float16 => OrtValue.CreateTensorValueFromMemory(
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(t.RawData.Span).ToArray().Select(v => new Float16(v)).ToArray(), shape),
            var other => throw new InvalidOperationException($"test input of type {other} is not handled by the corpus bench"),
        };
    }
}
