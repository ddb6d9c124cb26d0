using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdaDeep.Cli.Output;

/// <summary>Machine-readable output (--json): camelCase, indented, nulls omitted, numbers as numbers.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));
}
