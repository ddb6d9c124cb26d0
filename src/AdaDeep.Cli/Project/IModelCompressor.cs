namespace AdaDeep.Cli.Project;

/// <summary>
/// Compresses one model variant into a work folder and returns the files of its cache entry (entry file name → path;
/// model.onnx at least). <see cref="PipelineCompressor"/> runs the engine in this process; tests may substitute their own.
/// </summary>
public interface IModelCompressor
{
    CompressedFiles Compress(ModelVariant model, string cacheRoot, string workDirectory, Action<double, string> progress, CancellationToken cancellation);
}

/// <summary>The files to publish, the key the engine itself published under (if it did), and its warnings.</summary>
public sealed record CompressedFiles(IReadOnlyDictionary<string, string> Files, string? PublishedKey, IReadOnlyList<string> Warnings);
