using AdaDeep.Search.Core;
using AdaDeep.Search.Dqn;
using AdaDeep.Search.Reporting;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Dqn;

public class PlanningTests
{
    private static readonly ConfigurationMetrics Original = new(0.9, 20, 10, 10, 1000);

    [Fact]
    public void Surrogate_AddsTheMeanChangeOfEachMeasuredStep_AndAnswersMeasuredOnesExactly()
    {
        var model = new AdditiveSurrogate(Original);
        // Action 1 at position 0 measured twice (two different prefixes' worth of evidence): −2 ms and −4 ms → mean −3.
        model.Observe(new[] { 1 }, Original, Original with { LatencyMs = 18, Accuracy = 0.89 });
        model.Observe(new[] { 1 }, Original, Original with { LatencyMs = 16, Accuracy = 0.89 });
        // Action 2 at position 1, after action 1 at 0: −1 MB.
        var afterFirst = Original with { LatencyMs = 16, Accuracy = 0.89 };
        model.Observe(new[] { 1, 2 }, afterFirst, afterFirst with { StorageMB = 9 });

        Assert.True(model.Knows(0, 1));
        Assert.True(model.Knows(1, 2));
        Assert.False(model.Knows(0, 2));
        Assert.True(model.Knows(3, SearchActions.NoneIndex));
        Assert.Equal(3, model.Samples);

        // Never measured: original + mean(action 1 at 0) + mean(action 2 at 1)... with action 2 at 1 alone.
        var predicted = model.Predict(new[] { 0, 2 });
        Assert.Equal(new ConfigurationMetrics(0.9, 20, 9, 10, 1000), predicted);
        // Measured: exact (the last observation of that configuration).
        Assert.Equal(afterFirst with { StorageMB = 9 }, model.Predict(new[] { 1, 2 }));
        Assert.Equal(16, model.Predict(new[] { 1 }).LatencyMs);
    }

    [Fact]
    public void Surrogate_KeepsFiguresPhysical()
    {
        var model = new AdditiveSurrogate(Original);
        model.Observe(new[] { 1 }, Original, new ConfigurationMetrics(0.2, 1, 1, 1, 10));
        model.Observe(new[] { 0, 1 }, Original, new ConfigurationMetrics(0.2, 1, 1, 1, 10));
        var p = model.Predict(new[] { 1, 1, 0 });
        Assert.Equal(0, p.Accuracy);
        Assert.True(p.LatencyMs > 0 && p.StorageMB > 0 && p.EnergyMJ >= 0 && p.Macs >= 0);
    }

    [Fact]
    public void PlanningEnvironment_OnlyAllowsMeasuredSteps_AndPredicts()
    {
        var real = new TrapEnvironment();
        var model = new AdditiveSurrogate(real.OriginalMetrics);
        var fast = TrapEnvironment.MetricsOf(new[] { TrapEnvironment.Fast });
        model.Observe(new[] { TrapEnvironment.Fast }, real.OriginalMetrics, fast);
        var planning = new PlanningEnvironment(real, model);

        Assert.Equal(new[] { SearchActions.NoneIndex, TrapEnvironment.Fast }, planning.LegalActions(Array.Empty<int>()));
        Assert.Equal(new[] { SearchActions.NoneIndex }, planning.LegalActions(new[] { TrapEnvironment.Fast }));
        Assert.Equal(fast, planning.Evaluate(new[] { TrapEnvironment.Fast }));
        Assert.Same(real.Reward, planning.Reward);
        Assert.Equal(0, real.MeasureCalls);
    }

    [Fact]
    public void Planning_TrainsOnFreeEpisodes_WithoutMeasuringMore_AndStaysDeterministic()
    {
        SearchOptions Options(int planning) => SearchOptions.Default with
        {
            Seed = 4, Episodes = 12, Clock = new ManualClock(),
            Dqn = DqnOptions.Default with { TrainStepsPerTransition = 1, WarmupTransitions = 16, PlanningEpisodesPerEpisode = planning },
        };

        var plain = new DqnStrategy();
        var withPlanning = new DqnStrategy();
        var a = plain.Search(new TrapEnvironment(), Options(0), null, CancellationToken.None);
        var env = new TrapEnvironment();
        var b = withPlanning.Search(env, Options(3), null, CancellationToken.None);
        var again = new DqnStrategy().Search(new TrapEnvironment(), Options(3), null, CancellationToken.None);

        Assert.Equal(0, plain.PlanningEpisodes);
        Assert.Equal(3 * (withPlanning.MeasuringEpisodes - withPlanning.WarmStartSweeps + 1), withPlanning.PlanningEpisodes);
        // Planning episodes are never measured: every measurement is one of the search's candidates.
        Assert.Equal(env.MeasureCalls, b.Candidates.Count(c => c.Actions.Any(x => x != SearchActions.None)));
        Assert.Equal(SearchResultJson.Serialize(b), SearchResultJson.Serialize(again));
        // What the agent learnt differs: the episodes after the warm start take other paths.
        Assert.NotEqual(a.Candidates.Select(c => string.Join(",", c.Actions)), b.Candidates.Select(c => string.Join(",", c.Actions)));
    }
}
