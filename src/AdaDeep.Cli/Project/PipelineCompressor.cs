using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Runs the engine in this process (<see cref="CompressPipeline"/>) for one model variant, with the item's settings
/// as the build would pass them to `adadeep compress` (values as given, null = the engine's default), writing the
/// model, reports and result into the work folder. The engine looks up and publishes its own cache entry under its
/// key; <see cref="WarmRunner"/> makes sure the build's key holds the result too.
/// </summary>
public sealed class PipelineCompressor : IModelCompressor
{
    public CompressedFiles Compress(ModelVariant model, string cacheRoot, string workDirectory, Action<double, string> progress, CancellationToken cancellation)
    {
        var output = Path.Combine(workDirectory, CacheStore.ModelFileName);
        var result = Path.Combine(workDirectory, OutputWriter.ResultFileName);
        var request = CompressRequest.ForItem(model.Settings, output) with
        {
            ReportPath = Path.Combine(workDirectory, CacheStore.ReportMarkdownFileName),
            ResultJsonPath = result,
            CacheDir = cacheRoot,
            UseCache = true,
        };

        var compressed = new CompressPipeline(new Reporter(progress)).Run(request, cancellation);
        var files = Directory.GetFiles(workDirectory)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".tmp", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), f => f, StringComparer.Ordinal);
        return new CompressedFiles(files, compressed.CacheKey, compressed.Warnings);
    }

    /// <summary>Reports on the engine's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reporter(Action<double, string> progress) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => progress(value.Percent, $"{value.Stage}: {value.Message}");
    }
}
