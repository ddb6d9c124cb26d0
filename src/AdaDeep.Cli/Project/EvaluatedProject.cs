namespace AdaDeep.Cli.Project;

/// <summary>
/// A project as MSBuild evaluated it for one set of global properties: the properties AdaDeep reads and its
/// AdaDeepModel items. Plain data, no Microsoft.Build types, so it can be used before and after MSBuild is loaded.
/// </summary>
public sealed record EvaluatedProject(
    string ProjectPath,
    IReadOnlyDictionary<string, string> GlobalProperties,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<EvaluatedModelItem> Items)
{
    /// <summary>The properties copied from the evaluation (others are not kept).</summary>
    public static readonly string[] PropertyNames =
    {
        "AdaDeepDevice", "AdaDeepDevices", "AdaDeepCacheDir", "AdaDeepCacheUrl", "AdaDeepCacheReadOnly", "AdaDeepCacheTimeoutSeconds", "AdaDeepEnabled", "AdaDeepToolPath", "AdaDeepTasksAssembly",
        "Configuration", "TargetFramework", "IntermediateOutputPath", "MSBuildProjectDirectory",
    };

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    /// <summary>The evaluated value of <paramref name="name"/>, trimmed; null when empty or not kept.</summary>
    public string? Property(string name) =>
        Properties.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>True when the project imports the AdaDeep.Build props (the package or build/ folder).</summary>
    public bool ImportsAdaDeep => Property("AdaDeepTasksAssembly") is not null || Property("AdaDeepEnabled") is not null;
}

/// <summary>One AdaDeepModel item: its Include and its evaluated metadata (item definitions included).</summary>
public sealed record EvaluatedModelItem(string Include, IReadOnlyDictionary<string, string> Metadata)
{
    public string? GetMetadata(string name) => Metadata.TryGetValue(name, out var value) ? value : null;
}
