using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Normalization;

/// <summary>What <see cref="GraphNormalizer.Normalize"/> did: Dropouts removed, the opset before and after, and why
/// an old opset was kept.</summary>
public sealed record NormalizeResult(OnnxModel Model, int DropoutsRemoved, long FromOpset, long ToOpset, string? OpsetKeptReason)
{
    public bool Changed => DropoutsRemoved > 0 || ToOpset != FromOpset;

    /// <summary>"removed 2 inference Dropouts; converted opset 9 to 13", or null when nothing changed.</summary>
    public string? Describe()
    {
        var parts = new List<string>();
        if (DropoutsRemoved > 0)
        {
            parts.Add($"removed {DropoutsRemoved} inference Dropout{(DropoutsRemoved == 1 ? "" : "s")} (identities)");
        }

        if (ToOpset != FromOpset)
        {
            parts.Add($"converted opset {FromOpset} to {ToOpset}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }
}
