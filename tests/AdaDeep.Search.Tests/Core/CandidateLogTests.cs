using AdaDeep.Search.Core;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Core;

public class CandidateLogTests
{
    [Fact]
    public void Best_PrefersMeetingBudgetsOverReward()
    {
        var meets = new SearchCandidate(new[] { "a" }, new ConfigurationMetrics(0.9, 1, 1, 1, 1), 0.1, 0.0, true, 1);
        var richer = meets with { R1 = 5, MeetsBudgets = false };
        Assert.True(CandidateLog.IsBetter(meets, richer));
        Assert.False(CandidateLog.IsBetter(richer, meets));
        Assert.False(CandidateLog.IsBetter(meets, meets with { FirstSeenAt = 9 }));
    }

    [Fact]
    public void Record_KeepsEachConfigurationOnceInFirstSeenOrder()
    {
        var env = new TrapEnvironment();
        var log = new CandidateLog("test", env, SearchOptions.Default);
        log.RecordEpisode(new[] { 1, 0, 0, 0 }, env.Evaluate(new[] { 1 }));
        log.RecordEpisode(new[] { 2, 2, 2, 2 }, env.Evaluate(new[] { 2, 2, 2, 2 }));
        log.RecordEpisode(new[] { 1 }, env.Evaluate(new[] { 1 }));
        Assert.Equal(2, log.Candidates.Count);
        Assert.Equal(3, log.EpisodeRewards.Count);
        Assert.Equal(new[] { "fast", "none", "none", "none" }, log.Candidates[0].Actions);
        Assert.Equal(new[] { "enabler", "enabler", "enabler", "enabler" }, log.Best.Actions);
        Assert.Equal(2, log.Best.FirstSeenAt);
        Assert.Equal(new[] { 2, 2, 2, 2 }, log.BestConfiguration);
    }
}
