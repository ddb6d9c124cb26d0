using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Core;
using AdaDeep.Search.Dqn;

namespace AdaDeep.Search.Strategies;

/// <summary>Creates a strategy from its id: dqn, greedy, exhaustive, random, single:&lt;technique id&gt;.</summary>
public static class SearchStrategies
{
    public static IReadOnlyList<string> Ids { get; } = new[] { "dqn", "greedy", "exhaustive", "random", GreedyExplorationStrategy.StrategyId, GreedyLookaheadStrategy.StrategyId, "single:<id>" };

    public static ISearchStrategy Create(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trimmed = id.Trim();
        if (trimmed.StartsWith(SingleTechniqueStrategy.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var technique = trimmed[SingleTechniqueStrategy.Prefix.Length..];
            if (technique.Length > 0)
            {
                return new SingleTechniqueStrategy(technique);
            }
        }

        return trimmed.ToLowerInvariant() switch
        {
            "dqn" => new DqnStrategy(),
            "greedy" => new GreedyStrategy(),
            "exhaustive" => new ExhaustiveStrategy(),
            "random" => new RandomStrategy(),
            GreedyExplorationStrategy.StrategyId => new GreedyExplorationStrategy(),
            GreedyLookaheadStrategy.StrategyId => new GreedyLookaheadStrategy(),
            _ => throw new AdaDeepException(ErrorCodes.SearchStrategyUnknown,
                $"Unknown search strategy '{id}'; use one of {string.Join(", ", Ids)}."),
        };
    }
}
