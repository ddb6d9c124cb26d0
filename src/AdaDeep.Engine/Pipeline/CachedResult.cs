using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Pipeline;

/// <summary>Turns a verified cache entry back into the run's outputs: the model, the reports and the result JSON.</summary>
public static class CachedResult
{
    /// <summary>Null when the entry lacks the result (written by an older engine): the caller recompresses.</summary>
    /// <exception cref="AdaDeepException">ADA4002 when the request fails on missed budgets and the entry missed them.</exception>
    /// <param name="runWarnings">This run's own warnings (a cache that fell back, data notes): reported before the
    /// entry's, which describe the run that produced it.</param>
    public static CompressResult? TryRestore(CacheEntry entry, CompressRequest request, IReadOnlyList<string>? runWarnings = null)
    {
        if (entry.FilePath(OutputWriter.ResultFileName) is not { } resultFile)
        {
            return null;
        }

        var cached = CompressResult.FromJson(File.ReadAllText(resultFile));
        if (request.FailIfBudgetsNotMet && !cached.BudgetsMet)
        {
            // The same gate as a run that searched (CompressPipeline), before anything is written: a hit must not pass
            // what a miss fails.
            var missed = string.Join("; ", cached.Budgets.Where(b => !b.EndsWith("(met)", StringComparison.Ordinal)));
            throw new AdaDeepException(ErrorCodes.BudgetNotMet,
                $"no configuration found meets the budgets on {cached.Device} (cached result): {missed}", request.ModelPath);
        }

        var warnings = (runWarnings ?? Array.Empty<string>()).Concat(cached.Warnings).Distinct(StringComparer.Ordinal).ToArray();
        var result = cached with { Model = Path.GetFullPath(request.OutputPath), CacheHit = true, Warnings = warnings };
        OutputWriter.CopyFromCache(entry, request, result);
        return result;
    }
}
