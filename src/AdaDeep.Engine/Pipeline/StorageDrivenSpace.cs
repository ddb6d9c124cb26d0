using System.Globalization;
using AdaDeep.Compression.Techniques;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// What the search may use when the storage budget asks for more than int8 weights give. Int8 stores a float32
/// model's weights in a quarter of the bytes, so a budget under a quarter of the original's weights can only be met
/// the way Deep Compression met it: higher pruning levels and k-means shared weights (5-bit fc, 8-bit conv
/// codebooks). Without them the default space stops at 80 % pruning and int8, and the search has nothing that reaches
/// the budget (the paper's Table-7 budgets for mnist-8 need 2–9×). Applied only when the user chose neither
/// <c>--techniques</c> nor <c>--shared-weights</c>: a space the user chose is kept as it is.
/// </summary>
public static class StorageDrivenSpace
{
    /// <summary>Original weights over the budget above which int8 alone cannot meet it.</summary>
    public const double Int8Reach = 4.0;

    /// <summary>The pruning levels added beside W3's default (<see cref="CompressRequest.PruneSparsity"/>).</summary>
    public static readonly IReadOnlyList<string> AddedLevels = new[] { "W3@90", "W3@95" };

    public static readonly WeightSharingOptions SharedWeights = new(FcBits: 5, ConvBits: 8);

    /// <summary>Weights over budget above which the int8 file is measured: below it int8's file (about 0.27–0.29 of a
    /// float32 file, scales and graph included) clearly fits.</summary>
    public const double MeasureInt8Above = 3.0;

    /// <summary>
    /// The request with Deep Compression's levers added when the budget needs them; the reason, else null. Int8's 4× is
    /// a bound on the weights, not on the file: per-channel scales, decoders and the graph stay, so near 4× the file
    /// int8 weights give (<paramref name="int8FileMB"/>, measured only there) decides.
    /// </summary>
    public static (CompressRequest Request, string? Reason) Apply(CompressRequest request, double originalWeightMB, Func<double>? int8FileMB = null)
    {
        if (request.Techniques is not null || request.WeightSharing is not null || request.StorageBudgetMB is not { } budget || budget <= 0)
        {
            return (request, null);
        }

        var ratio = originalWeightMB / budget;
        string? why = null;
        if (ratio > Int8Reach)
        {
            why = string.Format(CultureInfo.InvariantCulture, "is {0:0.#}× below the original's weights ({1:0.####} MB), more than int8 gives ({2}×)", ratio, originalWeightMB, Int8Reach);
        }
        else if (ratio > MeasureInt8Above && int8FileMB?.Invoke() is { } int8 && int8 > budget)
        {
            why = string.Format(CultureInfo.InvariantCulture, "is below the {0:0.####} MB file int8 weights alone give", int8);
        }

        if (why is null)
        {
            return (request, null);
        }

        var techniques = TechniqueRegistry.Ids.Concat(AddedLevels).ToArray();
        var reason = string.Format(CultureInfo.InvariantCulture,
            "the storage budget ({0:0.####} MB) {1}: the search may also prune to {2} and share weights ({3}-bit fc, {4}-bit conv k-means codebooks)",
            budget, why, string.Join("/", AddedLevels.Select(l => l[(l.IndexOf('@') + 1)..] + " %")), SharedWeights.FcBits, SharedWeights.ConvBits);
        return (request with { Techniques = techniques, WeightSharing = SharedWeights }, reason);
    }
}
