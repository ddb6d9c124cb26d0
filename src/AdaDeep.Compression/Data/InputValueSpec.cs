using System.Globalization;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads <c>--input NAME=VALUE|FILE</c> (and the item metadata <c>Inputs="sr=16000;state=0"</c>): a constant for one
/// model input. VALUE is a number (a scalar, or filled into the whole input when the input is a tensor) or a comma
/// list (a 1-D tensor); FILE is a .npy array or a serialized TensorProto (.pb), fed as it is.
/// </summary>
public static class InputValueSpec
{
    public static InputFeed Parse(string spec, string? baseDirectory = null)
    {
        var (name, value) = Split(spec, "--input NAME=VALUE|FILE");
        var source = $"--input {spec}";
        if (TryNumbers(value, out var numbers))
        {
            return InputFeed.Constant(name, numbers.Length == 1 && !value.Contains(',') ? Array.Empty<int>() : new[] { numbers.Length }, numbers, source);
        }

        var path = Path.GetFullPath(value, baseDirectory ?? Directory.GetCurrentDirectory());
        if (!File.Exists(path))
        {
            throw new AdaDeepException(ErrorCodes.InputSpecInvalid,
                $"--input {name}=…: '{value}' is neither a number, a comma list of numbers, nor an existing .npy / .pb file", path);
        }

        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            using var stream = File.OpenRead(path);
            var array = NpyArray.Read(stream, path);
            return InputFeed.Constant(name, array.Shape, array.ToDoubles(), path);
        }

        var tensor = TensorFile.Read(path);
        var values = tensor.DataType is TensorData.Int64 or TensorData.Int32
            ? TensorData.ToInt64s(tensor).Select(v => (double)v).ToArray()
            : TensorData.ToFloats(tensor).Select(v => (double)v).ToArray();
        return InputFeed.Constant(name, tensor.Dims.Select(d => checked((int)d)).ToArray(), values, path);
    }

    /// <summary>NAME=REST, with a coded error naming the expected form.</summary>
    internal static (string Name, string Value) Split(string spec, string form)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == spec.Length - 1)
        {
            throw new AdaDeepException(ErrorCodes.InputSpecInvalid, $"'{spec}' is not of the form {form}");
        }

        return (spec[..eq].Trim(), spec[(eq + 1)..].Trim());
    }

    private static bool TryNumbers(string value, out double[] numbers)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is "true" or "false")
            {
                numbers[i] = parts[i] == "true" ? 1 : 0;
            }
            else if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        return true;
    }
}
