using AdaDeep.Search.Core;

namespace AdaDeep.Search.Tests.Toy;

/// <summary>Brute force over every configuration of a small environment.</summary>
public static class ToyConfigurations
{
    public static IEnumerable<int[]> All(ISearchEnvironment env)
    {
        IEnumerable<int[]> Expand(int[] prefix)
        {
            if (prefix.Length == env.DecisionPoints.Count)
            {
                yield return prefix;
                yield break;
            }

            foreach (var a in env.LegalActions(prefix))
            {
                foreach (var c in Expand(prefix.Append(a).ToArray()))
                {
                    yield return c;
                }
            }
        }

        return Expand(Array.Empty<int>());
    }

    /// <summary>The best configuration by the search ranking (budgets met first, then reward).</summary>
    public static (int[] Best, double Reward, double RunnerUp) Best(ISearchEnvironment env)
    {
        var ranked = All(env)
            .Select(c => (Config: c, Metrics: env.Evaluate(c)))
            .Select(x => (x.Config, Met: env.Reward.Budgets.AreMet(x.Metrics), Reward: env.Reward.Compute(x.Metrics).Total))
            .OrderByDescending(x => x.Met).ThenByDescending(x => x.Reward)
            .ToArray();
        return (ranked[0].Config, ranked[0].Reward, ranked[1].Reward);
    }
}
