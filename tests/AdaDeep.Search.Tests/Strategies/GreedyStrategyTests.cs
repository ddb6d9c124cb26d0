using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Core;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

public class GreedyStrategyTests
{
    [Fact]
    public void Trap_MisleadsGreedy()
    {
        var env = new TrapEnvironment();
        var result = new GreedyStrategy().Search(env, SearchOptions.Default, null, CancellationToken.None);

        // Layer 0: fast has the largest immediate reward; after it, enabler is weak, so fast everywhere.
        Assert.Equal(new[] { "fast", "fast", "fast", "fast" }, result.Best.Actions);
        Assert.False(result.Best.MeetsBudgets); // storage 8.5 MB > 8 MB
        Assert.NotEqual(TrapEnvironment.Optimum.Select(a => env.Actions[a]), result.Best.Actions);
        Assert.Single(result.EpisodeRewards);
        // Every action tried at every layer: 3 at layer 0, then 2 new ones per layer ("none" repeats the prefix).
        Assert.Equal(3 + 3 * 2, result.Candidates.Count);
    }

    [Fact]
    public void StopsWhenTheBestChoiceWouldBreakABudgetThatWasMet()
    {
        // One fc layer after another; action 1 saves 1 ms each, action 2 saves 3 ms but adds 5 MB.
        // Starting within budget, layer 0's best (reward) is action 2 only if it stays within storage: it does not.
        var points = Enumerable.Range(0, 3).Select(i => new DecisionPoint($"fc{i}", new LayerFeatures(LayerKind.FullyConnected, 100, 100, 10, 10), new[] { 0, 1, 2 }));
        var env = new FunctionEnvironment(points, new[] { "none", "small", "big" }, new SearchBudgets { LatencyMs = 20, StorageMB = 12 },
            c =>
            {
                double t = 10, s = 10;
                foreach (var a in c)
                {
                    (t, s) = a switch { 1 => (t - 1, s - 0.1), 2 => (t - 6, s + 5), _ => (t, s) };
                }

                return new ConfigurationMetrics(0.9, t, s, 1, 1);
            });
        var result = new GreedyStrategy().Search(env, SearchOptions.Default, null, CancellationToken.None);
        Assert.Equal(new[] { "small", "small", "small" }, result.Best.Actions);
        Assert.True(result.Best.MeetsBudgets);
    }

    [Fact]
    public void IsDeterministic()
    {
        var a = new GreedyStrategy().Search(new TrapEnvironment(), SearchOptions.Default, null, CancellationToken.None);
        var b = new GreedyStrategy().Search(new TrapEnvironment(), SearchOptions.Default with { Seed = 7 }, null, CancellationToken.None);
        Assert.Equal(a.Best.Actions, b.Best.Actions);
        Assert.Equal(a.Candidates.Select(c => c.Reward), b.Candidates.Select(c => c.Reward));
    }
}
