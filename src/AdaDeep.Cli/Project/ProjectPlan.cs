namespace AdaDeep.Cli.Project;

/// <summary>The evaluated project: one evaluation per device variant and every (item, variant) with its key.</summary>
public sealed record ProjectPlan(
    string ProjectPath,
    IReadOnlyList<EvaluatedProject> Evaluations,
    IReadOnlyList<ModelVariant> Models,
    string ToolEngineIdentity)
{
    public EvaluatedProject First => Evaluations[0];

    /// <summary>Distinct cache keys of the valid models, in listing order (two variants may share one).</summary>
    public IReadOnlyList<ModelVariant> DistinctByKey() =>
        Models.Where(m => m.IsValid).GroupBy(m => m.Key).Select(g => g.First()).ToList();
}
