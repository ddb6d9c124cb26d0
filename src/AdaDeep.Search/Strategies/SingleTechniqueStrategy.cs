using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Strategies;

/// <summary>
/// <c>single:&lt;id&gt;</c>: one technique on every layer where it is legal (given the choices before), "none"
/// elsewhere — the paper's single-technique baselines (5.2.2) such as W3. Its best is that configuration even when
/// it scores below the original model: a baseline must show what the technique does, not fall back to "none".
/// </summary>
public sealed class SingleTechniqueStrategy : ISearchStrategy
{
    public const string Prefix = "single:";

    public SingleTechniqueStrategy(string techniqueId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(techniqueId);
        TechniqueId = techniqueId;
    }

    public string TechniqueId { get; }

    public string Id => Prefix + TechniqueId;

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        ct.ThrowIfCancellationRequested();
        var action = IndexOf(env, TechniqueId);
        var log = new CandidateLog(Id, env, o, originalCompetes: false);
        var configuration = new List<int>(env.DecisionPoints.Count);
        for (var position = 0; position < env.DecisionPoints.Count; position++)
        {
            configuration.Add(env.LegalActions(configuration).Contains(action) ? action : SearchActions.NoneIndex);
        }

        var metrics = env.Evaluate(configuration);
        log.RecordEpisode(configuration, metrics);
        log.Report(p, 1, 1, env.Reward.Compute(metrics).Total);
        var result = log.ToResult();
        var key = SearchActions.Key(configuration);
        return result with { Best = result.Candidates.FirstOrDefault(c => SearchActions.Key(c.Actions.Select(a => IndexOf(env, a)).ToArray()) == key) ?? result.Best };
    }

    private static int IndexOf(ISearchEnvironment env, string id)
    {
        for (var i = 0; i < env.Actions.Count; i++)
        {
            if (string.Equals(env.Actions[i], id, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new AdaDeepException(ErrorCodes.TechniqueUnknown,
            $"Technique '{id}' is not one of this search's actions: {string.Join(", ", env.Actions.Skip(1))}.");
    }
}
