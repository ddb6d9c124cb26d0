namespace AdaDeep.Cli.Project;

/// <summary>Evaluates a project with the SDK's MSBuild: registers MSBuild, then calls <see cref="MSBuildEvaluator"/>
/// (a separate, never-inlined method, so no Microsoft.Build type is loaded before the registration).</summary>
public static class ProjectEvaluation
{
    public static IReadOnlyList<EvaluatedProject> Evaluate(string projectPath, IReadOnlyList<IReadOnlyDictionary<string, string>> globalPropertySets)
    {
        MSBuildRegistration.EnsureRegistered(Path.GetDirectoryName(projectPath)!);
        return MSBuildEvaluator.Evaluate(projectPath, globalPropertySets);
    }
}
