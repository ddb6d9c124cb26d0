using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Project;

/// <summary>
/// Evaluates the selected project (once, or once per device variant) and plans every AdaDeepModel item exactly as
/// the build task does: <see cref="ModelItemSettings.Read"/> with $(AdaDeepDevice) as the override, the key for the
/// engine the build would run ($(AdaDeepToolPath)'s folder, else this tool), the cache root $(AdaDeepCacheDir), else
/// ADADEEP_CACHE_DIR, else the user cache folder, and a read-only cache look-up.
/// </summary>
public static class ProjectPlanner
{
    public static ProjectPlan Plan(ProjectSelection selection, string currentDirectory)
    {
        var projectPath = ProjectFileFinder.Find(selection.Project, currentDirectory);
        var baseGlobals = selection.BaseGlobalProperties();
        IReadOnlyList<EvaluatedProject> evaluations;
        if (selection.Devices.Count > 0)
        {
            evaluations = ProjectEvaluation.Evaluate(projectPath,
                selection.Devices.Select(d => (IReadOnlyDictionary<string, string>)ProjectSelection.VariantGlobalProperties(baseGlobals, d)).ToList());
        }
        else
        {
            evaluations = ProjectEvaluation.Evaluate(projectPath, new[] { baseGlobals });
            // A project that lists its variants (AdaDeepDevices, what AdaDeepBuildVariants builds) is planned per variant.
            var listed = ProjectSelection.SplitDevices(new[] { evaluations[0].Property("AdaDeepDevices") });
            if (listed.Count > 0)
            {
                evaluations = ProjectEvaluation.Evaluate(projectPath,
                    listed.Select(d => (IReadOnlyDictionary<string, string>)ProjectSelection.VariantGlobalProperties(baseGlobals, d)).ToList());
            }
        }

        var identities = new Dictionary<string, string>(StringComparer.Ordinal);
        string IdentityOf(string toolDirectory)
        {
            if (!identities.TryGetValue(toolDirectory, out var identity))
            {
                identity = CacheKey.EngineIdentity(toolDirectory);
                identities[toolDirectory] = identity;
            }

            return identity;
        }

        var models = new List<ModelVariant>();
        foreach (var evaluation in evaluations)
        {
            var variant = evaluation.GlobalProperties.TryGetValue("AdaDeepDevice", out var d) ? d : null;
            var cacheRoot = CacheRoot(evaluation);
            var engine = IdentityOf(BuildToolDirectory(evaluation));
            foreach (var item in evaluation.Items)
            {
                var settings = ModelItemSettings.Read(item.Include, item.GetMetadata, evaluation.ProjectDirectory, evaluation.Property("AdaDeepDevice"));
                string? key = null;
                CacheProbeResult? probe = null;
                if (settings.IsValid)
                {
                    key = settings.Key(engine);
                    probe = CacheProbe.Probe(cacheRoot, key);
                }

                models.Add(new ModelVariant(evaluation, item, settings, variant, cacheRoot, engine, key, probe));
            }
        }

        return new ProjectPlan(projectPath, evaluations, models, IdentityOf(ToolDirectory));
    }

    /// <summary>The folder of this tool's own files (adadeep.dll, AdaDeep.*.dll): what its engine identity hashes.</summary>
    public static string ToolDirectory
    {
        get
        {
            var location = typeof(ProjectPlanner).Assembly.Location;
            return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
        }
    }

    /// <summary>
    /// The folder of the tool the build would run: $(AdaDeepToolPath)'s folder when set; else the AdaDeep.Tool of
    /// the project's local tool manifest, which is the tool that `dotnet adadeep` runs, i.e. this one.
    /// </summary>
    public static string BuildToolDirectory(EvaluatedProject project) =>
        project.Property("AdaDeepToolPath") is { } tool
            ? Path.GetDirectoryName(Path.GetFullPath(Path.Combine(project.ProjectDirectory, tool)))!
            : ToolDirectory;

    /// <summary>$(AdaDeepCacheDir) (taken from the project folder, where MSBuild runs the task), else the default root.</summary>
    public static string CacheRoot(EvaluatedProject project) =>
        CacheStore.ResolveRoot(project.Property("AdaDeepCacheDir") is { } dir ? Path.Combine(project.ProjectDirectory, dir) : null);
}
