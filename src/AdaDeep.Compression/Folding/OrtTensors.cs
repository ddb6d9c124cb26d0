using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Compression.Folding;

/// <summary>Conversions between ONNX Runtime values and ONNX tensors, for any fixed-size element type.</summary>
public static class OrtTensors
{
    /// <summary>An ONNX tensor holding an ORT tensor's bytes, or null for string and non-tensor values.</summary>
    public static TensorProto? ToTensorProto(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            return null;
        }

        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType == TensorElementType.String)
        {
            return null;
        }

        // ORT's element type numbers are ONNX's TensorProto.DataType numbers.
        return TensorData.FromBytes(name, (int)info.ElementDataType, info.Shape, value.GetTensorMutableRawData());
    }
}
