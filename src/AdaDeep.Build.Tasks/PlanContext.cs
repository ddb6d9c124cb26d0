namespace AdaDeep.Build.Tasks;

/// <summary>What every model of a project shares when it is planned: folders and project-wide overrides.</summary>
internal sealed record PlanContext(string ProjectDirectory, string IntermediateDirectory, string? DeviceOverride, string? ToolPath)
{
    /// <summary>$(MSBuildProjectFullPath): diagnostics about an item name it and the item's line (<see cref="ItemLocation"/>).</summary>
    public string? ProjectFile { get; init; }

    /// <summary>Builds a context from task parameters: relative folders are taken from the project folder.</summary>
    public static PlanContext Create(string projectDirectory, string intermediateDirectory, string? deviceOverride, string? toolPath)
    {
        var project = Path.GetFullPath(string.IsNullOrWhiteSpace(projectDirectory) ? Directory.GetCurrentDirectory() : projectDirectory);
        var intermediate = Path.GetFullPath(Path.Combine(project, string.IsNullOrWhiteSpace(intermediateDirectory) ? "obj" : intermediateDirectory));
        return new PlanContext(project, intermediate, string.IsNullOrWhiteSpace(deviceOverride) ? null : deviceOverride!.Trim(),
            string.IsNullOrWhiteSpace(toolPath) ? null : toolPath!.Trim());
    }
}
