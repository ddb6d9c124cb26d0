namespace AdaDeep.TestUtilities;

/// <summary>Files of the repository that tests may read (models/ is committed; .data/ is fetched and may be absent).</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries holding AdaDeep.Build.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>models/&lt;name&gt; in the repository (e.g. "mnist-8").</summary>
    public static string Model(string name) => Path.Combine(Root, "models", name);

    /// <summary>.data/mnist when scripts/fetch-data.sh has run, else null (tests then skip their real-data part).</summary>
    public static string? MnistData()
    {
        var folder = Path.Combine(Root, ".data", "mnist");
        return File.Exists(Path.Combine(folder, "t10k-images-idx3-ubyte")) ? folder : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdaDeep.Build.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no AdaDeep.Build.sln above {AppContext.BaseDirectory}");
    }
}
