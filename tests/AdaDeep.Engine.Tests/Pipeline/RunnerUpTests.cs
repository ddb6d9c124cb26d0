using AdaDeep.Engine.Pipeline;
using AdaDeep.Search.Core;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>When the search's choice fails the validation gate, the runner-up tried before the safer fallback is the
/// best-rewarded candidate that meets the budgets and measured more accurate than the choice.</summary>
public class RunnerUpTests
{
    private static SearchCandidate Candidate(double accuracy, double reward, bool meets, params string[] actions) =>
        new(actions, new ConfigurationMetrics(accuracy, 1, 1, 1, 1), reward, 0, meets, 1);

    private static SearchResult Search(SearchCandidate best, params SearchCandidate[] others) =>
        new("dqn", 1, new[] { "rnn", "fc" }, Candidate(0.9, 0, false), best, new[] { best }.Concat(others).ToArray(), Array.Empty<double>(), TimeSpan.Zero, false);

    [Fact]
    public void PicksTheBestRewardedMoreAccurateCandidateThatMeetsTheBudgets()
    {
        var chosen = Candidate(0.85, 1.0, true, "P2", "none");
        var gentle = Candidate(0.90, 0.95, true, "P2@25", "none");
        var gentler = Candidate(0.91, 0.90, true, "P2@25", "W3");
        var overBudget = Candidate(0.92, 0.99, false, "W3", "W3");
        var lessAccurate = Candidate(0.80, 0.99, true, "P2", "W3");

        var runnerUp = CompressPipeline.RunnerUp(Search(chosen, gentle, gentler, overBudget, lessAccurate), chosen, new[] { "none", "none" });

        Assert.Same(gentle, runnerUp);
    }

    [Fact]
    public void NoRunnerUp_WhenOnlyTheChoiceAndTheFallbackWereMeasured()
    {
        var chosen = Candidate(0.85, 1.0, true, "P2");
        var fallback = Candidate(0.95, 0.5, true, "Q8W", "none");

        Assert.Null(CompressPipeline.RunnerUp(Search(chosen, fallback), chosen, new[] { "Q8W", "none" }));
    }
}
