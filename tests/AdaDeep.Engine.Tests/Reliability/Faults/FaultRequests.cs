using AdaDeep.Engine.Pipeline;
using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>Requests on the fixture's tiny model (single:W3 takes a second or two) and the checks every fault shares.</summary>
internal static class FaultRequests
{
    public static CompressRequest For(PipelineFixture fixture, string folder, string optimizer = "single:W3", bool useCache = true, string? cacheDir = null) => new()
    {
        ModelPath = fixture.ModelPath,
        Device = "sony-sw3",
        DatasetPath = fixture.DatasetPath,
        Optimizer = optimizer,
        Seed = 3,
        MaxAccuracyDrop = 0.5,
        FineTuneEpochs = 1,
        OutputPath = Path.Combine(folder, "out", "lenet.sony-sw3.onnx"),
        ReportPath = Path.Combine(folder, "out", "lenet.report"),
        ResultJsonPath = Path.Combine(folder, "out", "result.json"),
        CacheDir = cacheDir ?? Path.Combine(folder, "cache"),
        UseCache = useCache,
    };

    /// <summary>Staging folders and temporary model files that a failed run must not leave beside its output.</summary>
    public static string[] Leftovers(string outputFolder) => !Directory.Exists(outputFolder)
        ? Array.Empty<string>()
        : Directory.EnumerateFileSystemEntries(outputFolder)
            .Where(p => Path.GetFileName(p).StartsWith(".adadeep-staging-", StringComparison.Ordinal) || p.EndsWith(".tmp", StringComparison.Ordinal))
            .ToArray();

    /// <summary>Every file under <paramref name="folder"/>, relative, for "nothing was written" checks.</summary>
    public static string[] Files(string folder) => !Directory.Exists(folder)
        ? Array.Empty<string>()
        : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order().ToArray();
}
