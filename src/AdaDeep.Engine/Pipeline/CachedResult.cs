using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Pipeline;

/// <summary>Turns a verified cache entry back into the run's outputs: the model, the reports and the result JSON.</summary>
public static class CachedResult
{
    /// <summary>Null when the entry lacks the result (written by an older engine): the caller recompresses.</summary>
    public static CompressResult? TryRestore(CacheEntry entry, CompressRequest request)
    {
        if (entry.FilePath(OutputWriter.ResultFileName) is not { } resultFile)
        {
            return null;
        }

        var cached = CompressResult.FromJson(File.ReadAllText(resultFile));
        var result = cached with { Model = Path.GetFullPath(request.OutputPath), CacheHit = true };
        OutputWriter.CopyFromCache(entry, request, result);
        return result;
    }
}
