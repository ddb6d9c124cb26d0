using Microsoft.Build.Framework;

namespace AdaDeep.Build.Tasks;

/// <summary>What the tasks that plan AdaDeepModel items share: the items, the project's folders and the device override.</summary>
public abstract class AdaDeepModelsTask : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Models { get; set; } = new ITaskItem[0];

    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>$(IntermediateOutputPath); outputs go to &lt;it&gt;/adadeep/&lt;device&gt;/.</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = "";

    /// <summary>$(AdaDeepDevice): overrides the device of every item.</summary>
    public string? Device { get; set; }

    /// <summary>$(MSBuildProjectFullPath): diagnostics about an item point at its line in the project file.</summary>
    public string? ProjectFile { get; set; }

    /// <summary>The context every item of this task is planned in (<see cref="ModelPlan.Create"/>).</summary>
    internal PlanContext Context(string? toolPath) =>
        PlanContext.Create(ProjectDirectory, IntermediateDirectory, Device, toolPath) with { ProjectFile = string.IsNullOrWhiteSpace(ProjectFile) ? null : ProjectFile };
}
