using System.Globalization;
using AdaDeep.Onnx.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AdaDeep.Devices.Profiles.Yaml;

/// <summary>
/// Maps YAML nodes to <see cref="ProfileDto"/>s by hand, field by field, so that a wrong type names the field and its
/// line, an unknown field is reported (a typo such as <c>batteryMah</c> must not silently mean "mains power"), and no
/// type is ever chosen by the text. Accepted layouts: the catalog's (<c>devices: [ … ]</c>), a list of profiles, or
/// one profile.
/// </summary>
internal static class ProfileYamlMapper
{
    public const string DevicesKey = "devices";

    /// <summary>The schema's field names, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Fields = new[]
    {
        "id", "name", "type", "processor", "dramMB", "l2CacheMB", "batteryMAh", "peakGmacs", "memoryBandwidthGBps",
        "perLayerOverheadMs", "operatorEfficiency", KernelCostsYaml.Field, "energyPerMacPJ", "energyPerCacheBytePJ", "energyPerDramBytePJ",
        "measuresLatency", "source",
    };

    public static IReadOnlyList<ProfileDto> Map(YamlNode? root, string file)
    {
        switch (root)
        {
            case null:
                throw new AdaDeepException(ErrorCodes.ProfileMalformed, "the file holds no device profile.", file);
            case YamlSequenceNode list:
                return MapList(list, file);
            case YamlMappingNode mapping when mapping.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == DevicesKey):
                foreach (var key in mapping.Children.Keys)
                {
                    if (key is not YamlScalarNode { Value: DevicesKey })
                    {
                        throw SafeYamlLoader.Malformed(key.Start, $"unknown top-level key '{Text(key)}'; a catalog file holds only '{DevicesKey}:'.", file);
                    }
                }

                var devices = mapping.Children[new YamlScalarNode(DevicesKey)];
                return devices is YamlSequenceNode sequence
                    ? MapList(sequence, file)
                    : throw SafeYamlLoader.Malformed(devices.Start, $"'{DevicesKey}' must be a list of device profiles.", file);
            case YamlMappingNode single:
                return new[] { MapProfile(single, file) };
            default:
                throw SafeYamlLoader.Malformed(root.Start, "expected a device profile (a mapping), a list of them, or 'devices:'.", file);
        }
    }

    private static IReadOnlyList<ProfileDto> MapList(YamlSequenceNode list, string file)
    {
        if (list.Children.Count == 0)
        {
            throw SafeYamlLoader.Malformed(list.Start, "the list of device profiles is empty.", file);
        }

        return list.Children
            .Select(item => item is YamlMappingNode mapping
                ? MapProfile(mapping, file)
                : throw SafeYamlLoader.Malformed(item.Start, "each entry of the list must be a device profile (a mapping).", file))
            .ToList();
    }

    private static ProfileDto MapProfile(YamlMappingNode node, string file)
    {
        var dto = new ProfileDto { Start = node.Start };
        foreach (var (keyNode, value) in node.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw SafeYamlLoader.Malformed(keyNode.Start, "field names must be plain text.", file);
            }

            dto.FieldMarks[key] = value.Start;
            dto.PresentFields.Add(key);
            var field = new FieldReader(key, value, file);
            switch (key)
            {
                case "id": dto.Id = field.String(); break;
                case "name": dto.Name = field.String(); break;
                case "type": dto.Type = field.String(); break;
                case "processor": dto.Processor = field.String(); break;
                case "dramMB": dto.DramMB = field.Number(); break;
                case "l2CacheMB": dto.L2CacheMB = field.Number(); break;
                case "batteryMAh": dto.BatteryMAh = field.NumberOrNull(); break;
                case "peakGmacs": dto.PeakGmacs = field.Number(); break;
                case "memoryBandwidthGBps": dto.MemoryBandwidthGBps = field.Number(); break;
                case "perLayerOverheadMs": dto.PerLayerOverheadMs = field.Number(); break;
                case "operatorEfficiency":
                    dto.OperatorEfficiency = field.NumberMap();
                    foreach (var (op, entry) in ((YamlMappingNode)value).Children)
                    {
                        dto.FieldMarks[$"{key}.{((YamlScalarNode)op).Value}"] = entry.Start;
                    }

                    break;
                case KernelCostsYaml.Field: dto.KernelCosts = KernelCostsYaml.Read(value, file, dto.FieldMarks); break;
                case "energyPerMacPJ": dto.EnergyPerMacPJ = field.Number(); break;
                case "energyPerCacheBytePJ": dto.EnergyPerCacheBytePJ = field.Number(); break;
                case "energyPerDramBytePJ": dto.EnergyPerDramBytePJ = field.Number(); break;
                case "measuresLatency": dto.MeasuresLatency = field.Boolean(); break;
                case "source": dto.Source = field.String(); break;
                default:
                    var near = NearNames.Find(key, Fields, max: 3);
                    var hint = near.Count > 0 ? $" Did you mean {string.Join(" or ", near.Select(n => $"'{n}'"))}?" : "";
                    throw SafeYamlLoader.Malformed(keyNode.Start, $"unknown field '{key}'.{hint} Fields: {string.Join(", ", Fields)}.", file);
            }
        }

        return dto;
    }

    private static string Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : node.NodeType.ToString();

    /// <summary>Reads one field's value with the type the schema gives it; a mismatch is ProfileInvalidValue naming the field.</summary>
    private readonly record struct FieldReader(string Field, YamlNode Value, string File)
    {
        public string String() => Value is YamlScalarNode { Value: { } text } scalar && !IsNull(scalar)
            ? text
            : throw WrongType("text");

        public double Number() => NumberOrNull() ?? throw WrongType("a number");

        public double? NumberOrNull()
        {
            if (Value is not YamlScalarNode scalar)
            {
                throw WrongType("a number");
            }

            if (IsNull(scalar))
            {
                return null;
            }

            // Quoted scalars are text in YAML; a number must be written plainly.
            if (scalar.Style is not ScalarStyle.Plain || !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw WrongType("a number");
            }

            return number;
        }

        public bool Boolean()
        {
            if (Value is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
            {
                switch (text)
                {
                    case "true" or "True" or "TRUE": return true;
                    case "false" or "False" or "FALSE": return false;
                }
            }

            throw WrongType("true or false");
        }

        public Dictionary<string, double> NumberMap()
        {
            if (Value is not YamlMappingNode mapping)
            {
                throw WrongType("a mapping of operator type to a number");
            }

            var map = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Children)
            {
                if (key is not YamlScalarNode { Value: { Length: > 0 } op })
                {
                    throw Invalid(key.Start, $"'{Field}' keys must be operator types such as Conv or Gemm.");
                }

                map[op] = new FieldReader($"{Field}.{op}", value, File).Number();
            }

            return map;
        }

        private static bool IsNull(YamlScalarNode scalar) =>
            scalar.Style is ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

        private AdaDeepException WrongType(string expected)
        {
            var got = Value is YamlScalarNode scalar
                ? IsNull(scalar) ? "null" : scalar.Style is ScalarStyle.Plain ? $"'{scalar.Value}'" : $"the quoted text \"{scalar.Value}\""
                : $"a {Value.NodeType.ToString().ToLowerInvariant()}";
            return Invalid(Value.Start, $"field '{Field}' must be {expected}; found {got}.");
        }

        private AdaDeepException Invalid(Mark at, string message) =>
            new(ErrorCodes.ProfileInvalidValue, $"line {at.Line}, column {at.Column}: {message}", File);
    }
}
