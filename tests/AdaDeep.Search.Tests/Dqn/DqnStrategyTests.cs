using AdaDeep.Search.Core;
using AdaDeep.Search.Dqn;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Dqn;

public class DqnStrategyTests
{
    private static SearchOptions Options(int seed, int episodes) =>
        SearchOptions.Default with { Seed = seed, Episodes = episodes, Clock = new ManualClock() };

    /// <summary>Short runs that check mechanics, not learning: one gradient step per transition.</summary>
    private static SearchOptions Quick(int seed, int episodes) =>
        Options(seed, episodes) with { Dqn = DqnOptions.Default with { TrainStepsPerTransition = 1, WarmupTransitions = 16 } };

    [Fact]
    public void LearnsTheTrapEnvironmentsOptimum_WhereGreedyFails()
    {
        var env = new TrapEnvironment();
        var dqn = new DqnStrategy();
        var result = dqn.Search(env, Options(seed: 2, episodes: 60), null, CancellationToken.None);

        var optimum = TrapEnvironment.Optimum.Select(a => env.Actions[a]).ToArray();
        Assert.Equal(optimum, result.Best.Actions);
        Assert.Equal(TrapEnvironment.Optimum, dqn.LastPolicyConfiguration); // the learned policy, ε = 0
        var greedy = new GreedyStrategy().Search(new TrapEnvironment(), SearchOptions.Default, null, CancellationToken.None);
        Assert.NotEqual(optimum, greedy.Best.Actions);
    }

    [Fact]
    public void Best_IsTheBestMeasuredConfiguration_IncludingEpisodePrefixes()
    {
        var env = new TrapEnvironment();
        var result = new DqnStrategy().Search(env, Quick(seed: 3, episodes: 15), null, CancellationToken.None);

        // Every configuration the environment measured (each step's prefix, the rest "none") is a candidate.
        var compressed = result.Candidates.Where(c => c.Actions.Any(a => a != SearchActions.None)).ToArray();
        Assert.Equal(env.MeasureCalls, compressed.Length);
        Assert.Equal(env.MeasureCalls, env.DistinctEvaluations);
        Assert.Contains(result.Candidates, c => c.Actions.Skip(1).All(a => a == SearchActions.None) && c.Actions[0] != SearchActions.None);

        // And the answer is the best of them by the search ranking.
        Assert.Contains(result.Best, result.Candidates);
        Assert.DoesNotContain(result.Candidates, c => CandidateLog.IsBetter(c, result.Best));
    }

    [Fact]
    public void EpisodesCountOnlyMeasuringEpisodes_ReplaysMeasureNothing()
    {
        var env = new TrapEnvironment();
        var dqn = new DqnStrategy();
        var result = dqn.Search(env, Quick(seed: 4, episodes: 40), null, CancellationToken.None);

        Assert.Equal(40, dqn.MeasuringEpisodes);
        Assert.True(dqn.ReplayEpisodes > 0, "a converging agent revisits measured configurations");
        Assert.Equal(4, dqn.WarmStartSweeps); // the greedy warm start: one sweep per decision point, one episode in all
        Assert.Equal(1 + (40 - 4) + dqn.ReplayEpisodes + 1, result.EpisodeRewards.Count); // + the ε = 0 policy rollout
        Assert.True(env.MeasureCalls >= 40, "each measuring episode measured at least one new configuration");
        Assert.Equal(env.MeasureCalls, env.DistinctEvaluations); // nothing measured twice
    }

    [Fact]
    public void SmallSpace_IsMeasuredOnce_ThenTheSearchStops()
    {
        var env = new TrapEnvironment();
        var dqn = new DqnStrategy();
        var result = dqn.Search(env, Quick(seed: 1, episodes: 1000), null, CancellationToken.None);

        // 81 configurations; the original (all "none") needs no measurement.
        var distinct = ToyConfigurations.All(env).Select(SearchActions.Key).Where(k => k.Length > 0).Distinct().Count();
        Assert.Equal(80, distinct);
        // It stops once replays keep coming (nearly everything measured), having measured nothing twice.
        Assert.InRange(env.MeasureCalls, 60, distinct);
        Assert.Equal(env.MeasureCalls, env.DistinctEvaluations);
        Assert.True(dqn.MeasuringEpisodes < 1000);
        Assert.True(dqn.ReplayEpisodes >= DqnStrategy.MaxConsecutiveReplays);
        Assert.Equal(TrapEnvironment.Optimum.Select(a => env.Actions[a]), result.Best.Actions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NeverWorseThanGreedy_OnLeNetLikeProblems(int seed)
    {
        var greedy = new GreedyStrategy().Search(new SyntheticLeNetEnvironment(seed), SearchOptions.Default, null, CancellationToken.None);
        var env = new SyntheticLeNetEnvironment(seed);
        var dqn = new DqnStrategy().Search(env, Quick(seed, episodes: 15), null, CancellationToken.None);

        // The warm start measures greedy's candidates through the agent, so its best is at least greedy's.
        Assert.False(CandidateLog.IsBetter(greedy.Best, dqn.Best));
        Assert.True(dqn.Best.MeetsBudgets);
        Assert.True(env.DistinctEvaluations > greedy.Candidates.Count, "the agent measures beyond the greedy sweep");
    }

    [Fact]
    public void SameSeed_SameBytes()
    {
        var a = new DqnStrategy().Search(new TrapEnvironment(), Quick(seed: 5, episodes: 20), null, CancellationToken.None);
        var b = new DqnStrategy().Search(new TrapEnvironment(), Quick(seed: 5, episodes: 20), null, CancellationToken.None);
        Assert.Equal(SearchResultJson.SerializeToUtf8Bytes(a), SearchResultJson.SerializeToUtf8Bytes(b));
    }

    [Fact]
    public void DifferentSeed_ExploresDifferently()
    {
        var a = new DqnStrategy().Search(new TrapEnvironment(), Quick(seed: 5, episodes: 20), null, CancellationToken.None);
        var b = new DqnStrategy().Search(new TrapEnvironment(), Quick(seed: 6, episodes: 20), null, CancellationToken.None);
        Assert.NotEqual(a.EpisodeRewards, b.EpisodeRewards);
    }

    [Fact]
    public void TimeBudget_StopsBetweenEpisodes_WithoutThePolicyRollout()
    {
        var clock = new ManualClock();
        var env = new ClockedEnvironment(new TrapEnvironment(), clock, TimeSpan.FromSeconds(1));
        var options = SearchOptions.Default with
        {
            Clock = clock, Episodes = 500, TimeBudget = TimeSpan.FromSeconds(20),
            Dqn = DqnOptions.Default with { GreedyWarmStart = false },
        };
        var dqn = new DqnStrategy();
        var result = dqn.Search(env, options, null, CancellationToken.None);
        Assert.True(result.StoppedByTimeBudget);
        Assert.InRange(result.EpisodeRewards.Count, 3, 5); // 4 steps (1 s each) per episode, plus free walks to plan deviations
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(28)); // checked between episodes
        Assert.Null(dqn.LastPolicyConfiguration);
    }

    [Fact]
    public void TimeBudget_CanEndTheGreedyWarmStart()
    {
        var clock = new ManualClock();
        var env = new ClockedEnvironment(new TrapEnvironment(), clock, TimeSpan.FromSeconds(1));
        var options = SearchOptions.Default with { Clock = clock, Episodes = 500, TimeBudget = TimeSpan.FromSeconds(10) };
        var dqn = new DqnStrategy();
        var result = dqn.Search(env, options, null, CancellationToken.None);
        Assert.True(result.StoppedByTimeBudget);
        Assert.Equal(3, dqn.WarmStartSweeps); // 3 + 6 + 9 calls: the third sweep ends after the budget
        Assert.Single(result.EpisodeRewards);
        Assert.Null(dqn.LastPolicyConfiguration);
    }

    [Fact]
    public void ReportsProgressEveryMeasuringEpisode()
    {
        var seen = new List<SearchProgress>();
        var progress = new SynchronousProgress<SearchProgress>(seen.Add);
        new DqnStrategy().Search(new TrapEnvironment(), Quick(seed: 2, episodes: 12), progress, CancellationToken.None);
        Assert.Equal(13, seen.Count); // 4 warm-start sweeps + 8 episodes + the policy rollout
        Assert.Equal(Enumerable.Range(1, 12), seen.Take(12).Select(s => s.Episode));
        // ε follows the schedule, is 0 on the policy (and its deviations), and 1 where no deviation was left to try.
        Assert.All(seen, s => Assert.True(s.Epsilon is 1.0 || s.Epsilon is >= 0 && s.Epsilon <= DqnOptions.Default.EpsilonStart));
        Assert.Equal(0, seen[^1].Epsilon);
        Assert.True(seen[^1].IsFinalPolicy);
        Assert.Equal(12, seen[^1].Episode); // the rollout closes the run: never "13 of 12"
        Assert.All(seen.Take(12), s => Assert.False(s.IsFinalPolicy));
    }

    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
