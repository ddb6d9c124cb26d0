using System.Runtime.CompilerServices;
using AdaDeep.Onnx.Diagnostics;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Exceptions;

namespace AdaDeep.Cli.Project;

/// <summary>
/// The only code that touches Microsoft.Build types. Its methods are never inlined, so the JIT loads MSBuild
/// assemblies only when they run, after <see cref="MSBuildRegistration"/> pointed the process at the SDK's copies.
/// Call it through <see cref="ProjectEvaluation"/>.
/// </summary>
internal static class MSBuildEvaluator
{
    public const string ItemType = "AdaDeepModel";

    /// <summary>Evaluates <paramref name="projectPath"/> once per set of global properties (one collection, so the
    /// imported files are parsed once).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<EvaluatedProject> Evaluate(string projectPath, IReadOnlyList<IReadOnlyDictionary<string, string>> globalPropertySets)
    {
        using var collection = new ProjectCollection();
        var results = new List<EvaluatedProject>();
        foreach (var globals in globalPropertySets)
        {
            Microsoft.Build.Evaluation.Project project;
            try
            {
                project = new Microsoft.Build.Evaluation.Project(projectPath, globals.ToDictionary(p => p.Key, p => p.Value), toolsVersion: null, collection);
            }
            catch (InvalidProjectFileException e)
            {
                var where = e.LineNumber > 0 ? $"{e.ProjectFile ?? projectPath}({e.LineNumber},{e.ColumnNumber})" : e.ProjectFile ?? projectPath;
                throw new AdaDeepException(ErrorCodes.ProjectEvaluationFailed,
                    $"the project does not evaluate: {(e.ErrorCode is { Length: > 0 } code ? code + ": " : "")}{e.BaseMessage}", where, e);
            }

            var properties = EvaluatedProject.PropertyNames.ToDictionary(n => n, n => project.GetPropertyValue(n), StringComparer.OrdinalIgnoreCase);
            var items = project.GetItems(ItemType).Select(ToModelItem).ToList();
            results.Add(new EvaluatedProject(projectPath, globals, properties, items));
            collection.UnloadProject(project);
        }

        return results;
    }

    private static EvaluatedModelItem ToModelItem(ProjectItem item)
    {
        // Metadata holds the item's own metadata and what its item definition gives (ItemDefinitionGroup defaults).
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in item.Metadata)
        {
            metadata[m.Name] = m.EvaluatedValue;
        }

        return new EvaluatedModelItem(item.EvaluatedInclude, metadata);
    }
}
