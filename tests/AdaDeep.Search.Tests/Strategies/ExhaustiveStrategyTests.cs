using AdaDeep.Onnx.Analysis;
using AdaDeep.Search.Core;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

public class ExhaustiveStrategyTests
{
    // none, W1f, W3, L3 for fc layers; W1c, C2 for conv layers (indices 1..5).
    private static readonly string[] Actions = { "none", "W1f", "W3", "L3", "W1c", "C2" };

    private static FunctionEnvironment Env()
    {
        var conv = new[] { 0, 4, 5 };
        var fc = new[] { 0, 1, 2, 3 };
        var points = new[]
        {
            new DecisionPoint("conv1", new LayerFeatures(LayerKind.Conv, 100, 1000, 1, 8), conv),
            new DecisionPoint("conv2", new LayerFeatures(LayerKind.Conv, 1000, 9000, 8, 16), conv),
            new DecisionPoint("fc1", new LayerFeatures(LayerKind.FullyConnected, 5000, 5000, 256, 20), fc),
            new DecisionPoint("fc2", new LayerFeatures(LayerKind.FullyConnected, 200, 200, 20, 10), fc),
        };

        // L3 on fc1 replaces the head: fc2 is then moot (only "none" is legal).
        IReadOnlyList<int> Legal(int position, IReadOnlyList<int> prefix) =>
            position == 3 && prefix[2] == 3 ? new[] { 0 } : points[position].CandidateActions;

        return new FunctionEnvironment(points, Actions, new SearchBudgets { LatencyMs = 5 },
            c => new ConfigurationMetrics(0.9 - 0.01 * c.Count(a => a != 0), 10 - c.Sum(a => a), 10, 10, 1), Legal);
    }

    [Fact]
    public void EnumeratesExactlyEveryFcConvPair()
    {
        var env = Env();
        var result = new ExhaustiveStrategy().Search(env, SearchOptions.Default, null, CancellationToken.None);
        Assert.Equal(3 * 2, result.EpisodeRewards.Count);
        Assert.Equal(3 * 2, result.Candidates.Count);
        var pairs = result.Candidates.Select(c => (c.Actions[2], c.Actions[0])).ToHashSet();
        foreach (var f in new[] { "W1f", "W3", "L3" })
        {
            foreach (var c in new[] { "W1c", "C2" })
            {
                Assert.Contains((f, c), pairs);
            }
        }
    }

    [Fact]
    public void UsesOneTechniquePerKind_AndRespectsMootLayers()
    {
        var env = Env();
        Assert.Equal(new[] { 4, 4, 1, 1 }, ExhaustiveStrategy.ConfigurationFor(env, 1, 4));
        Assert.Equal(new[] { 5, 5, 3, 0 }, ExhaustiveStrategy.ConfigurationFor(env, 3, 5));
    }

    [Fact]
    public void ModelWithoutConv_TriesFcTechniquesAlone()
    {
        var points = new[] { new DecisionPoint("fc1", new LayerFeatures(LayerKind.FullyConnected, 10, 10, 2, 5), new[] { 0, 1, 2 }) };
        var env = new FunctionEnvironment(points, new[] { "none", "a", "b" }, SearchBudgets.None, c => new ConfigurationMetrics(0.9, 10, 10, 10, 1));
        Assert.Equal(new[] { (1, 0), (2, 0) }, ExhaustiveStrategy.Pairs(env));
    }
}
