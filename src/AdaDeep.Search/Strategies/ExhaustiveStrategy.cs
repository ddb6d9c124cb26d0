using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Strategies;

/// <summary>
/// Paper 5.2.3 / 5.3.1 exhaustive optimizer over technique pairs: one technique for every fully connected layer
/// combined with one technique for every conv layer, all |fc techniques| × |conv techniques| pairs, keeping the
/// best (same ranking as every strategy). A technique is used on each layer of its kind where it is legal (given
/// the choices before it); elsewhere that layer stays "none". When the model has no fc (or no conv) technique,
/// the other kind's techniques are tried alone. Ignores the episode count and the seed.
/// </summary>
public sealed class ExhaustiveStrategy : ISearchStrategy
{
    public string Id => "exhaustive";

    /// <summary>Techniques (action indices, "none" excluded) that apply to at least one decision point of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<int> TechniquesFor(ISearchEnvironment env, LayerKind kind) =>
        env.DecisionPoints
            .Where(d => d.Features.Kind == kind)
            .SelectMany(d => d.CandidateActions)
            .Where(a => a != SearchActions.NoneIndex)
            .Distinct()
            .Order()
            .ToArray();

    /// <summary>The (fc technique, conv technique) pairs in the order searched; a missing kind is "none".</summary>
    public static IReadOnlyList<(int Fc, int Conv)> Pairs(ISearchEnvironment env)
    {
        var fc = TechniquesFor(env, LayerKind.FullyConnected);
        var conv = TechniquesFor(env, LayerKind.Conv);
        IReadOnlyList<int> fcOrNone = fc.Count > 0 ? fc : new[] { SearchActions.NoneIndex };
        IReadOnlyList<int> convOrNone = conv.Count > 0 ? conv : new[] { SearchActions.NoneIndex };
        return fcOrNone.SelectMany(f => convOrNone.Select(c => (f, c))).Where(pair => pair != (0, 0)).ToArray();
    }

    /// <summary>The configuration for one pair: the fc technique on every fc layer, the conv technique on every conv layer, where legal.</summary>
    public static int[] ConfigurationFor(ISearchEnvironment env, int fcTechnique, int convTechnique)
    {
        var prefix = new List<int>(env.DecisionPoints.Count);
        foreach (var point in env.DecisionPoints)
        {
            var wanted = point.Features.Kind switch
            {
                LayerKind.FullyConnected => fcTechnique,
                LayerKind.Conv => convTechnique,
                _ => SearchActions.NoneIndex,
            };
            prefix.Add(env.LegalActions(prefix).Contains(wanted) ? wanted : SearchActions.NoneIndex);
        }

        return prefix.ToArray();
    }

    public SearchResult Search(ISearchEnvironment env, SearchOptions o, IProgress<SearchProgress>? p, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(o);
        var log = new CandidateLog(Id, env, o);
        var pairs = Pairs(env);
        for (var i = 0; i < pairs.Count && !log.TimeIsUp(); i++)
        {
            ct.ThrowIfCancellationRequested();
            var configuration = ConfigurationFor(env, pairs[i].Fc, pairs[i].Conv);
            var metrics = env.Evaluate(configuration);
            log.RecordEpisode(configuration, metrics);
            log.Report(p, i + 1, pairs.Count, env.Reward.Compute(metrics).Total);
        }

        return log.ToResult();
    }
}
