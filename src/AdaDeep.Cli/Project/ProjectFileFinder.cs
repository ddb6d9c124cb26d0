using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Finds the project to evaluate the way `dotnet build` does: the file given with --project, or the one project file
/// (*.csproj, *.fsproj, *.vbproj, *.proj, ...) of a folder. No project or several are errors that say what to do.
/// </summary>
public static class ProjectFileFinder
{
    /// <summary>The full path of the project for <paramref name="projectOption"/> (a file, a folder, or null for
    /// <paramref name="currentDirectory"/>).</summary>
    public static string Find(string? projectOption, string currentDirectory)
    {
        var path = Path.GetFullPath(Path.Combine(currentDirectory, string.IsNullOrWhiteSpace(projectOption) ? "." : projectOption.Trim()));
        if (File.Exists(path))
        {
            if (IsSolution(path))
            {
                throw new AdaDeepException(ErrorCodes.ProjectNotFound,
                    "this is a solution; adadeep works on one project: pass --project with the project that declares the AdaDeepModel items", path);
            }

            return path;
        }

        if (!Directory.Exists(path))
        {
            throw new AdaDeepException(ErrorCodes.ProjectNotFound, "the project file or folder does not exist", path);
        }

        var projects = Directory.GetFiles(path, "*proj", SearchOption.TopDirectoryOnly)
            .Where(IsProjectFile)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        switch (projects.Count)
        {
            case 1:
                return projects[0];
            case 0:
                var solutions = Directory.GetFiles(path).Where(IsSolution).Select(Path.GetFileName).ToList();
                var hint = solutions.Count > 0
                    ? $" (only {string.Join(", ", solutions)}, a solution: pass --project with one of its projects)"
                    : "; run adadeep in the folder of the project that declares the AdaDeepModel items, or pass --project PATH";
                throw new AdaDeepException(ErrorCodes.ProjectNotFound, $"no project file in this folder{hint}", path);
            default:
                throw new AdaDeepException(ErrorCodes.ProjectAmbiguous,
                    $"this folder has {projects.Count} project files: {string.Join(", ", projects.Select(Path.GetFileName))}; pass one with --project", path);
        }
    }

    private static bool IsProjectFile(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Length > ".proj".Length - 1 && extension.EndsWith("proj", StringComparison.OrdinalIgnoreCase) && File.Exists(path);
    }

    private static bool IsSolution(string path) =>
        Path.GetExtension(path).Equals(".sln", StringComparison.OrdinalIgnoreCase) || Path.GetExtension(path).Equals(".slnx", StringComparison.OrdinalIgnoreCase);
}
