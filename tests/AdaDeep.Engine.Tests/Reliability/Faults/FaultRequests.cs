using AdaDeep.Engine.Tests.Pipeline;

namespace AdaDeep.Engine.Tests.Reliability.Faults;

/// <summary>The checks every fault shares (requests come from <see cref="PipelineFixture.Request"/>).</summary>
internal static class FaultRequests
{
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
