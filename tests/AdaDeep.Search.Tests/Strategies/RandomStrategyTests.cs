using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

public class RandomStrategyTests
{
    private static SearchResult Run(int seed, int episodes = 20) =>
        new RandomStrategy().Search(new TrapEnvironment(), SearchOptions.Default with { Seed = seed, Episodes = episodes, Clock = new ManualClock() }, null, CancellationToken.None);

    [Fact]
    public void SameSeed_SameConfigurationsAndBytes()
    {
        Assert.Equal(SearchResultJson.Serialize(Run(3)), SearchResultJson.Serialize(Run(3)));
    }

    [Fact]
    public void DifferentSeed_DrawsDifferentConfigurations()
    {
        var a = Run(3).Candidates.Select(c => string.Join(",", c.Actions));
        var b = Run(4).Candidates.Select(c => string.Join(",", c.Actions));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void RunsTheRequestedEpisodes_OnlyLegalActions()
    {
        var result = Run(5, episodes: 30);
        Assert.Equal(30, result.EpisodeRewards.Count);
        Assert.All(result.Candidates, c => Assert.All(c.Actions, a => Assert.Contains(a, new[] { "none", "fast", "enabler" })));
        Assert.True(result.Candidates.Count <= 30);
    }
}
