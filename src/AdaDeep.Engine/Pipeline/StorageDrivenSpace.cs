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

    /// <summary>The request with Deep Compression's levers added when the budget needs them; the reason, else null.</summary>
    public static (CompressRequest Request, string? Reason) Apply(CompressRequest request, double originalWeightMB)
    {
        if (request.Techniques is not null || request.WeightSharing is not null || request.StorageBudgetMB is not { } budget
            || budget <= 0 || originalWeightMB / budget <= Int8Reach)
        {
            return (request, null);
        }

        var techniques = TechniqueRegistry.Ids.Concat(AddedLevels).ToArray();
        var reason = string.Format(CultureInfo.InvariantCulture,
            "the storage budget ({0:0.####} MB) is {1:0.#}× below the original's weights ({2:0.####} MB), more than int8 gives ({3}×): the search may also prune to {4} and share weights ({5}-bit fc, {6}-bit conv k-means codebooks)",
            budget, originalWeightMB / budget, originalWeightMB, Int8Reach, string.Join("/", AddedLevels.Select(l => l[(l.IndexOf('@') + 1)..] + " %")),
            SharedWeights.FcBits, SharedWeights.ConvBits);
        return (request with { Techniques = techniques, WeightSharing = SharedWeights }, reason);
    }
}
