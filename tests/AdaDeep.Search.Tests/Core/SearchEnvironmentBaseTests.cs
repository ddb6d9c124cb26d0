using AdaDeep.Search.Core;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Core;

public class SearchEnvironmentBaseTests
{
    [Fact]
    public void StepRewards_SumToFinalMinusOriginalReward()
    {
        var env = new TrapEnvironment();
        env.Reset();
        double r1 = 0, r2 = 0;
        StepResult? last = null;
        foreach (var a in TrapEnvironment.Optimum)
        {
            last = env.Step(a);
            r1 += last.R1;
            r2 += last.R2;
        }

        var final = env.Reward.Compute(env.Metrics);
        var original = env.Reward.Compute(env.OriginalMetrics);
        Assert.True(last!.Done);
        Assert.Equal(final.R1 - original.R1, r1, 9);
        Assert.Equal(final.R2 - original.R2, r2, 9);
        Assert.Equal(final, last.ConfigurationReward);
        Assert.Equal(TrapEnvironment.Optimum, env.Configuration);
    }

    [Fact]
    public void State_HasLayerFeaturesAndBudgetUsage()
    {
        var env = new TrapEnvironment();
        var s0 = env.Reset();
        Assert.Equal(StateEncoder.FeatureCount, s0.Length);
        Assert.Equal(1f, s0[0]); // conv
        Assert.Equal(0f, s0[7]); // position 0 of 4
        Assert.Equal(20f / 12, s0[8], 5); // latency vs budget
        Assert.Equal(10f / 8, s0[9], 5); // storage vs budget
        Assert.Equal(0.9f, s0[11], 5);
        env.Step(1);
        env.Step(0);
        var s2 = env.Observe();
        Assert.Equal(1f, s2[1]); // fc
        Assert.Equal(0.5f, s2[7]);
        Assert.Equal(16f / 12, s2[8], 5);
    }

    [Fact]
    public void Evaluate_CachesByCanonicalConfiguration()
    {
        var env = new TrapEnvironment();
        var a = env.Evaluate(new[] { 1, 2 });
        var b = env.Evaluate(new[] { 1, 2, 0, 0 });
        Assert.Same(a, b);
        Assert.Equal(1, env.MeasureCalls);
        Assert.Equal(1, env.CacheHits);
        Assert.Same(env.OriginalMetrics, env.Evaluate(new[] { 0, 0 }));
        Assert.Equal(1, env.MeasureCalls);
    }

    [Fact]
    public void IllegalActionOrFinishedEpisode_Throws()
    {
        var env = new TrapEnvironment();
        env.Reset();
        Assert.Throws<ArgumentException>(() => env.Step(7));
        foreach (var a in new[] { 0, 0, 0, 0 })
        {
            env.Step(a);
        }

        Assert.True(env.IsDone);
        Assert.Empty(env.LegalActions());
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
    }

    [Fact]
    public void TrapEnvironment_HasAUniqueOptimumMeetingEveryBudget()
    {
        var env = new TrapEnvironment();
        var (best, reward, runnerUp) = ToyConfigurations.Best(env);
        Assert.Equal(TrapEnvironment.Optimum, best);
        Assert.True(env.Reward.Budgets.AreMet(env.Evaluate(best)));
        Assert.True(reward > runnerUp + 0.05, $"best {reward}, runner-up {runnerUp}");
    }
}
