using AdaDeep.Onnx.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Devices.Costs;

/// <summary>
/// Makes ONNX Runtime tensors of a model input's own element type from float or double values (AdaDeep computes and
/// stores data in float32/float64), and reads any numeric output back as floats: float16 inputs get their values
/// rounded to half precision, int64/int32/bool inputs their values as integers (bool: non-zero is true).
/// </summary>
public static class OrtTensors
{
    public static OrtValue Create(string name, TensorElementType type, ReadOnlySpan<double> values, long[] shape)
    {
        var n = values.Length;
        switch (type)
        {
            case TensorElementType.Float: { var a = new float[n]; for (var i = 0; i < n; i++) { a[i] = (float)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.Double: return OrtValue.CreateTensorValueFromMemory(values.ToArray(), shape);
            case TensorElementType.Float16: { var a = new Float16[n]; for (var i = 0; i < n; i++) { a[i] = (Float16)(float)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.Int64: { var a = new long[n]; for (var i = 0; i < n; i++) { a[i] = (long)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.Int32: { var a = new int[n]; for (var i = 0; i < n; i++) { a[i] = (int)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.Int16: { var a = new short[n]; for (var i = 0; i < n; i++) { a[i] = (short)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.Int8: { var a = new sbyte[n]; for (var i = 0; i < n; i++) { a[i] = (sbyte)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.UInt8: { var a = new byte[n]; for (var i = 0; i < n; i++) { a[i] = (byte)values[i]; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            case TensorElementType.Bool: { var a = new bool[n]; for (var i = 0; i < n; i++) { a[i] = values[i] != 0; } return OrtValue.CreateTensorValueFromMemory(a, shape); }
            default:
                throw new AdaDeepException(ErrorCodes.InputTypeUnsupported,
                    $"the model input '{name}' takes {type}; AdaDeep feeds float, double, float16, int8/16/32/64, uint8 and bool inputs");
        }
    }

    /// <summary>A tensor of <paramref name="type"/> from float values (the primary input's data).</summary>
    public static OrtValue Create(string name, TensorElementType type, ReadOnlySpan<float> values, long[] shape)
    {
        if (type == TensorElementType.Float)
        {
            return OrtValue.CreateTensorValueFromMemory(values.ToArray(), shape);
        }

        var d = new double[values.Length];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = values[i];
        }

        return Create(name, type, d, shape);
    }

    /// <summary>The values of a numeric output tensor as floats.</summary>
    public static float[] ReadFloats(OrtValue value, string name)
    {
        var info = value.GetTensorTypeAndShape();
        return info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)h).ToArray(),
            TensorElementType.Double => value.GetTensorDataAsSpan<double>().ToArray().Select(v => (float)v).ToArray(),
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v).ToArray(),
            TensorElementType.Int32 => value.GetTensorDataAsSpan<int>().ToArray().Select(v => (float)v).ToArray(),
            TensorElementType.UInt8 => value.GetTensorDataAsSpan<byte>().ToArray().Select(v => (float)v).ToArray(),
            TensorElementType.Int8 => value.GetTensorDataAsSpan<sbyte>().ToArray().Select(v => (float)v).ToArray(),
            TensorElementType.Bool => value.GetTensorDataAsSpan<bool>().ToArray().Select(v => v ? 1f : 0f).ToArray(),
            var other => throw new AdaDeepException(ErrorCodes.InputTypeUnsupported,
                $"the model output '{name}' is {other}; AdaDeep reads numeric outputs only"),
        };
    }
}
