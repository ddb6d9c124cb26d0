using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Strategies;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// Which techniques the search may use. Without real data (only synthetic inputs) the validation gate cannot tell
/// whether a lossy rewrite still does the model's job, so the search keeps to near-lossless techniques
/// (<see cref="GatedShipping.NearLossless"/>) unless the user opts in with --allow-lossy (item metadata AllowLossy).
/// </summary>
public static class LossyPolicy
{
    /// <summary>The technique ids the search may choose (the user's --techniques list, if any, narrowed); null: all.</summary>
    /// <exception cref="AdaDeepException">ADA3603 when single:&lt;lossy id&gt; is asked for without real data or the opt-in.</exception>
    public static IReadOnlyList<string>? Techniques(CompressRequest request, bool realData, string file, List<string> warnings)
    {
        if (realData || request.AllowLossy)
        {
            return request.Techniques;
        }

        var optimizer = request.EffectiveOptimizer;
        if (optimizer.StartsWith(SingleTechniqueStrategy.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var id = TechniqueRegistry.Get(optimizer[SingleTechniqueStrategy.Prefix.Length..].Trim()).Id;
            if (GatedShipping.IsLossy(id))
            {
                throw new AdaDeepException(ErrorCodes.LossyNeedsData,
                    $"{id} is lossy and there is no real data to check it on (only synthetic inputs); pass --dataset, or --allow-lossy (item metadata AllowLossy) to take the risk",
                    request.ModelPath);
            }
        }

        var allowed = request.Techniques is null
            ? GatedShipping.NearLossless
            : request.Techniques.Where(t => !GatedShipping.IsLossy(t)).ToArray();
        warnings.Add($"{file}: warning {ErrorCodes.DatasetSynthetic}: no real data, so the search uses near-lossless techniques only ({string.Join(", ", allowed)}); pass --dataset, or --allow-lossy to search them all");
        return allowed;
    }
}
