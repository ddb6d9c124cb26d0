using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Core;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

public class GreedyLookaheadStrategyTests
{
    [Fact]
    public void Lookahead_SeesTheEnablerThatPlainGreedyPassesOver()
    {
        // Two fc layers. "small" saves 1 ms anywhere; "enabler" costs 0.5 ms at layer 0 and saves 4 ms at layer 1 only
        // after an enabler at layer 0. Greedy takes small, small (8 ms); one step of lookahead sees enabler, enabler (6.5 ms).
        var points = Enumerable.Range(0, 2).Select(i => new DecisionPoint($"fc{i}", new LayerFeatures(LayerKind.FullyConnected, 100, 100, 10, 10), new[] { 0, 1, 2 }));
        FunctionEnvironment Env() => new(points, new[] { "none", "small", "enabler" }, new SearchBudgets { LatencyMs = 20, StorageMB = 12 },
            c =>
            {
                double t = 10;
                for (var i = 0; i < c.Count; i++)
                {
                    t += c[i] switch { 1 => -1, 2 when i == 0 => 0.5, 2 when c[0] == 2 => -4, 2 => 0.5, _ => 0 };
                }

                return new ConfigurationMetrics(0.9, t, 10, 1, 1);
            });

        var lookahead = new GreedyLookaheadStrategy().Search(Env(), SearchOptions.Default, null, CancellationToken.None);
        var greedy = new GreedyStrategy().Search(Env(), SearchOptions.Default, null, CancellationToken.None);

        Assert.Equal(new[] { "small", "small" }, greedy.Best.Actions);
        Assert.Equal(new[] { "enabler", "enabler" }, lookahead.Best.Actions);
        Assert.Equal(6.5, lookahead.Best.Metrics.LatencyMs, 9);
    }

    [Fact]
    public void IsAStrategyId() =>
        Assert.IsType<GreedyLookaheadStrategy>(SearchStrategies.Create("greedy-lookahead"));
}
