using System.Globalization;
using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Onnx.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AdaDeep.Devices.Profiles.Yaml;

/// <summary>
/// Reads a profile's optional <c>kernelCosts</c> block (the measured kernel table, see <see cref="OperatorCostTable"/>):
/// <code>
/// kernelCosts:
///   perInferenceUs: 2.3
///   kernels:
///     Conv: { fixedUs: 1.4, usPerMMac: 3.4, usPerMBActivations: 82, usPerMBWeights: 21, usPerMLowered: 301 }
///     Relu: { fixedUs: 0.2, usPerMBActivations: 15 }
/// </code>
/// A coefficient left out is 0. Wrong types and unknown names are <see cref="ErrorCodes.ProfileInvalidValue"/> with
/// the line; the ranges are checked by <see cref="ProfileValidator"/>. Also writes a table back as that YAML, so that
/// a calibration can be pasted into a profile.
/// </summary>
public static class KernelCostsYaml
{
    public const string Field = "kernelCosts";

    public static readonly IReadOnlyList<string> BlockFields = new[] { "perInferenceUs", "kernels" };

    internal static OperatorCostTable Read(YamlNode node, string file, IDictionary<string, Mark> marks)
    {
        var block = node as YamlMappingNode ?? throw Invalid(node.Start, $"field '{Field}' must be a mapping with {string.Join(" and ", BlockFields)}.", file);
        double? perInference = null;
        Dictionary<string, OperatorCost>? kernels = null;
        foreach (var (keyNode, value) in block.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            marks[$"{Field}.{key}"] = value.Start;
            switch (key)
            {
                case "perInferenceUs":
                    perInference = Number(value, $"{Field}.perInferenceUs", file);
                    break;
                case "kernels":
                    kernels = Kernels(value, file, marks);
                    break;
                default:
                    var near = NearNames.Find(key, BlockFields, max: 2);
                    throw Invalid(keyNode.Start, $"unknown field '{Field}.{key}'.{(near.Count > 0 ? $" Did you mean '{near[0]}'?" : "")} Fields: {string.Join(", ", BlockFields)}.", file);
            }
        }

        if (perInference is null || kernels is null)
        {
            throw Invalid(block.Start, $"field '{Field}' needs both {string.Join(" and ", BlockFields)}.", file);
        }

        return new OperatorCostTable(perInference.Value, kernels);
    }

    /// <summary>The table as the YAML block <see cref="Read"/> accepts (invariant culture, round-trip precision trimmed to 4 significant digits).</summary>
    public static string Write(OperatorCostTable table, string indent = "    ")
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new System.Text.StringBuilder();
        text.Append(indent).Append(Field).Append(":\n");
        text.Append(indent).Append("  perInferenceUs: ").Append(Format(table.PerInferenceUs)).Append('\n');
        text.Append(indent).Append("  kernels:\n");
        foreach (var (kind, cost) in table.Kernels.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var terms = OperatorCost.FieldNames.Select((name, i) => (name, value: cost.Coefficients[i]))
                .Where((t, i) => i == 0 || t.value != 0)
                .Select(t => $"{t.name}: {Format(t.value)}");
            text.Append(indent).Append("    ").Append(kind).Append(": { ").Append(string.Join(", ", terms)).Append(" }\n");
        }

        return text.ToString();
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static Dictionary<string, OperatorCost> Kernels(YamlNode node, string file, IDictionary<string, Mark> marks)
    {
        var mapping = node as YamlMappingNode ?? throw Invalid(node.Start, $"field '{Field}.kernels' must map kernel kinds (Conv, Gemm, Relu…) to their coefficients.", file);
        var kernels = new Dictionary<string, OperatorCost>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } kind })
            {
                throw Invalid(keyNode.Start, $"'{Field}.kernels' keys must be kernel kinds such as Conv or Gemm.", file);
            }

            marks[$"{Field}.kernels.{kind}"] = value.Start;
            var coefficients = value as YamlMappingNode ?? throw Invalid(value.Start, $"field '{Field}.kernels.{kind}' must be a mapping of {string.Join(", ", OperatorCost.FieldNames)}.", file);
            var values = new double[OperatorCost.FieldNames.Count];
            foreach (var (nameNode, number) in coefficients.Children)
            {
                var name = (nameNode as YamlScalarNode)?.Value ?? "";
                var index = OperatorCost.FieldNames.ToList().IndexOf(name);
                if (index < 0)
                {
                    var near = NearNames.Find(name, OperatorCost.FieldNames, max: 2);
                    throw Invalid(nameNode.Start, $"unknown coefficient '{name}' in '{Field}.kernels.{kind}'.{(near.Count > 0 ? $" Did you mean '{near[0]}'?" : "")} Coefficients: {string.Join(", ", OperatorCost.FieldNames)}.", file);
                }

                marks[$"{Field}.kernels.{kind}.{name}"] = number.Start;
                values[index] = Number(number, $"{Field}.kernels.{kind}.{name}", file);
            }

            kernels[kind] = OperatorCost.FromCoefficients(values);
        }

        return kernels;
    }

    private static double Number(YamlNode node, string field, string file)
    {
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var got = node is YamlScalarNode scalar ? $"'{scalar.Value}'" : $"a {node.NodeType.ToString().ToLowerInvariant()}";
        throw Invalid(node.Start, $"field '{field}' must be a number; found {got}.", file);
    }

    private static AdaDeepException Invalid(Mark at, string message, string file) =>
        new(ErrorCodes.ProfileInvalidValue, $"line {at.Line}, column {at.Column}: {message}", file);
}
