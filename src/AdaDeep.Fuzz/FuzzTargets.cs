using AdaDeep.Fuzz.Targets;

namespace AdaDeep.Fuzz;

/// <summary>The targets by command-line name.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = new[] { "onnx", "yaml", "data" };

    public static IFuzzTarget Create(string name, string repoRoot) => name switch
    {
        "onnx" => new OnnxTarget(repoRoot),
        "yaml" => new YamlTarget(repoRoot),
        "data" => new DataTarget(repoRoot),
        _ => throw new ArgumentException($"unknown target '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };
}
