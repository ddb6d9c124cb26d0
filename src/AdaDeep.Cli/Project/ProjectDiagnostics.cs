using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Project;

/// <summary>The problems of a plan's items as canonical errors (<c>project: error ADA600x: message</c>).</summary>
public static class ProjectDiagnostics
{
    /// <summary>One error per distinct problem (the variants of one item often share a problem), ADA6004 for a missing model file,
    /// ADA6005 for anything else.</summary>
    public static IReadOnlyList<AdaDeepException> Errors(ProjectPlan plan) =>
        plan.Models
            .SelectMany(m => m.Settings.Problems.Select(p => new AdaDeepException(
                p.Kind == ModelItemSettings.ProblemModelNotFound ? ErrorCodes.ProjectModelMissing : ErrorCodes.ProjectItemInvalid,
                $"AdaDeepModel '{m.Item.Include}': {p.Message}",
                plan.ProjectPath)))
            .GroupBy(e => e.Code + e.Message)
            .Select(g => g.First())
            .ToList();

    /// <summary>Writes every error; returns the exit code of the first (0 when there is none).</summary>
    public static int Write(IReadOnlyList<AdaDeepException> errors, TextWriter error)
    {
        foreach (var e in errors)
        {
            error.WriteLine(e.ToMSBuildString());
        }

        return errors.Count == 0 ? 0 : errors[0].ExitCode;
    }
}
