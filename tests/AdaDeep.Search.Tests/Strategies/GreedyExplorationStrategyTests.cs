using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

public class GreedyExplorationStrategyTests
{
    private static SearchResult Run(TrapEnvironment env, int seed, int episodes = 30, int? maxMeasurements = null) =>
        new GreedyExplorationStrategy().Search(env, SearchOptions.Default with
        {
            Seed = seed, Episodes = episodes, MaxMeasurements = maxMeasurements, Clock = new ManualClock(),
        }, null, CancellationToken.None);

    [Fact]
    public void StartsFromTheGreedyPath_ThenExploresAroundTheBest()
    {
        var env = new TrapEnvironment();
        var greedy = new GreedyStrategy().Search(new TrapEnvironment(), SearchOptions.Default, null, CancellationToken.None);
        var result = Run(env, seed: 1);

        // The greedy sweep's candidates come first, in the same order.
        Assert.Equal(greedy.Candidates.Select(c => string.Join(",", c.Actions)),
            result.Candidates.Take(greedy.Candidates.Count).Select(c => string.Join(",", c.Actions)));
        Assert.True(result.Candidates.Count > greedy.Candidates.Count, "exploration measured nothing beyond the sweep");
        Assert.True(result.Best.Reward >= greedy.Best.Reward);
        Assert.True(CandidateLog.IsBetter(result.Best, greedy.Best) || result.Best.Reward == greedy.Best.Reward);
    }

    [Fact]
    public void StopsAtTheMeasurementBudget()
    {
        var env = new TrapEnvironment();
        Run(env, seed: 2, episodes: 1000, maxMeasurements: 12);
        Assert.Equal(12, env.DistinctEvaluations);

        // The budget, not the episode count, bounds it: 2 episodes asked for, 30 measurements allowed.
        var budgeted = new TrapEnvironment();
        Run(budgeted, seed: 2, episodes: 2, maxMeasurements: 30);
        Assert.Equal(30, budgeted.DistinctEvaluations);
    }

    [Fact]
    public void StopsWhenTheNeighbourhoodIsExplored()
    {
        // 3^4 = 81 configurations: asking for 1,000 new episodes ends once repeats run out, not in an endless loop.
        var env = new TrapEnvironment();
        var result = Run(env, seed: 3, episodes: 1000);
        Assert.True(env.DistinctEvaluations <= 81 + 4);
        Assert.True(result.EpisodeRewards.Count < 1000);
    }

    [Fact]
    public void SameSeed_SameBytes_DifferentSeed_DifferentPath()
    {
        Assert.Equal(SearchResultJson.Serialize(Run(new TrapEnvironment(), 5)), SearchResultJson.Serialize(Run(new TrapEnvironment(), 5)));
        Assert.NotEqual(
            Run(new TrapEnvironment(), 5).Candidates.Select(c => string.Join(",", c.Actions)),
            Run(new TrapEnvironment(), 6).Candidates.Select(c => string.Join(",", c.Actions)));
    }

    [Fact]
    public void IsAStrategyId() =>
        Assert.IsType<GreedyExplorationStrategy>(SearchStrategies.Create("greedy-explore"));
}
