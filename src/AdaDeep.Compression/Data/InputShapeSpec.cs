using System.Globalization;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Compression.Data;

/// <summary>
/// Reads <c>--input-shape NAME=1x3x48x192</c> (item metadata <c>InputShape</c>, several joined by ';'): the full
/// shape one input is costed, validated and fed synthetic data at, its batch dimension included (normally 1).
/// A lone shape without NAME= applies to the model's first input.
/// </summary>
public static class InputShapeSpec
{
    /// <summary>The name ("" for the first input) and the shape.</summary>
    public static (string Name, long[] Shape) Parse(string spec)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        var (name, text) = eq < 0 ? ("", spec.Trim()) : InputValueSpec.Split(spec, "--input-shape NAME=1x3x224x224");
        var parts = text.Split('x', ',', '×');
        var shape = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1 || shape[i] > int.MaxValue)
            {
                throw new AdaDeepException(ErrorCodes.InputSpecInvalid,
                    $"--input-shape '{spec}': '{parts[i]}' is not a dimension (write e.g. images=1x3x48x192)");
            }
        }

        return (name, shape);
    }

    /// <summary>Several specs, from repeated options or one ';'-separated metadata value.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> ParseAll(IEnumerable<string> specs) =>
        specs.SelectMany(s => s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(Parse).ToArray();
}
