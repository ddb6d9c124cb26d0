using AdaDeep.Search.Core;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

/// <summary>Time budgets checked with a manual clock that advances one second per environment call.</summary>
public class TimeBudgetTests
{
    private static (ClockedEnvironment Env, SearchOptions Options) Setup(int seconds)
    {
        var clock = new ManualClock();
        var env = new ClockedEnvironment(new TrapEnvironment(), clock, TimeSpan.FromSeconds(1));
        return (env, SearchOptions.Default with { Clock = clock, Episodes = 1000, TimeBudget = TimeSpan.FromSeconds(seconds) });
    }

    [Fact]
    public void Random_StopsWhenTheBudgetIsSpent_AndReturnsTheBestSoFar()
    {
        var (env, options) = Setup(10);
        var result = new RandomStrategy().Search(env, options, null, CancellationToken.None);
        Assert.Equal(10, result.EpisodeRewards.Count); // one Evaluate (1 s) per episode
        Assert.True(result.StoppedByTimeBudget);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Elapsed);
        Assert.Contains(result.Best, result.Candidates);
    }

    [Fact]
    public void Exhaustive_StopsWhenTheBudgetIsSpent()
    {
        var (env, options) = Setup(2);
        var result = new ExhaustiveStrategy().Search(env, options, null, CancellationToken.None);
        Assert.Equal(2, result.EpisodeRewards.Count);
        Assert.True(result.StoppedByTimeBudget);
    }

    [Fact]
    public void Greedy_StopsWhenTheBudgetIsSpent()
    {
        var (env, options) = Setup(3);
        var result = new GreedyStrategy().Search(env, options, null, CancellationToken.None);
        Assert.True(result.StoppedByTimeBudget);
        Assert.Equal(new[] { "fast", "none", "none", "none" }, result.Best.Actions); // only layer 0 decided
    }

    [Fact]
    public void NoBudget_RunsEveryEpisode()
    {
        var (env, options) = Setup(1);
        var result = new RandomStrategy().Search(env, options with { TimeBudget = null, Episodes = 25 }, null, CancellationToken.None);
        Assert.Equal(25, result.EpisodeRewards.Count);
        Assert.False(result.StoppedByTimeBudget);
    }

    [Fact]
    public void Cancellation_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new RandomStrategy().Search(new TrapEnvironment(), SearchOptions.Default, null, cts.Token));
    }
}
