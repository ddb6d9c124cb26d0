namespace AdaDeep.Fuzz;

/// <summary>Finds the repository (the folder holding AdaDeep.Build.sln) whose models/ the seeds come from.</summary>
public static class RepoFiles
{
    public static string FindRoot(string? start = null)
    {
        foreach (var origin in new[] { start, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "AdaDeep.Build.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("no AdaDeep.Build.sln above the current folder; pass --repo <folder>");
    }

    /// <summary>models/&lt;name&gt;/model.onnx for every model committed in the repository, by name.</summary>
    public static IReadOnlyList<string> Models(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "models"), "model.onnx", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToList();
}
