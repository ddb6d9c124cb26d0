using AdaDeep.Search.Dqn;
using AdaDeep.Search.Tests.Toy;
using TorchSharp;

namespace AdaDeep.Search.Tests.Dqn;

public class DqnAgentTests
{
    private static readonly DqnOptions Small = DqnOptions.Default with { WarmupTransitions = 8, BatchSize = 8, TrainStepsPerTransition = 1, TargetSyncSteps = 5 };

    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    private static void PlayEpisodes(DqnAgent agent, TrapEnvironment env, int episodes)
    {
        for (var e = 0; e < episodes; e++)
        {
            var state = env.Reset();
            while (!env.IsDone)
            {
                var action = agent.Act(state, env.LegalActions(), 0.5);
                var step = env.Step(action);
                agent.Remember(new Transition(state, action, (float)step.R1, (float)step.R2, step.State, step.Done, new[] { !step.Done, !step.Done, !step.Done }));
                agent.TrainIfReady();
                state = step.State;
            }
        }
    }

    [Fact]
    public void NoTensorOutlivesAnEpisode_OrTheAgent()
    {
        var before = LiveTensors();
        var env = new TrapEnvironment();
        using (var agent = new DqnAgent(env.StateSize, env.Actions.Count, Small, seed: 1))
        {
            PlayEpisodes(agent, env, 5); // warm: replay memory filled, Adam state created, target synced
            var afterWarmup = LiveTensors();
            Assert.True(afterWarmup > before, "the agent's parameters are live tensors");
            PlayEpisodes(agent, env, 25);
            Assert.True(agent.TrainingSteps > 100);
            Assert.Equal(afterWarmup, LiveTensors());
        }

        Assert.Equal(before, LiveTensors());
    }

    [Fact]
    public void MaskedChoice_NeverPicksAnIllegalAction()
    {
        using var agent = new DqnAgent(4, 5, Small, seed: 3);
        var state = new float[] { 0.1f, 0.2f, 0.3f, 0.4f };
        for (var i = 0; i < 50; i++)
        {
            Assert.Contains(agent.Act(state, new[] { 1, 3 }, epsilon: i % 2 == 0 ? 1.0 : 0.0), new[] { 1, 3 });
        }

        var q = agent.Values(state).Q;
        Assert.Equal(q[1] >= q[3] ? 1 : 3, agent.Greedy(state, new[] { 1, 3 }));
    }

    [Fact]
    public void QIsGPlusH()
    {
        using var agent = new DqnAgent(4, 3, Small, seed: 3);
        var (g, h, q) = agent.Values(new float[] { 1, 0, 0.5f, 0 });
        for (var a = 0; a < 3; a++)
        {
            Assert.Equal(g[a] + h[a], q[a], 6);
        }
    }

    [Fact]
    public void EachColumnLearnsItsOwnReward()
    {
        // One state, one terminal action: G must approach R1 = 0.8 and H approach R2 = −0.3 (not their sum).
        using var agent = new DqnAgent(2, 2, Small with { LearningRate = 0.01 }, seed: 4);
        var s = new float[] { 1, 0 };
        var batch = Enumerable.Repeat(new Transition(s, 1, 0.8f, -0.3f, s, true, new bool[2]), 8).ToArray();
        for (var i = 0; i < 300; i++)
        {
            agent.TrainStep(batch);
        }

        var (g, h, _) = agent.Values(s);
        Assert.Equal(0.8, g[1], 2);
        Assert.Equal(-0.3, h[1], 2);
    }

    [Fact]
    public void SameSeed_SameInitialValues()
    {
        using var a = new DqnAgent(3, 2, Small, seed: 9);
        using var b = new DqnAgent(3, 2, Small, seed: 9);
        using var c = new DqnAgent(3, 2, Small, seed: 10);
        var s = new float[] { 0.3f, 0.1f, 0.7f };
        Assert.Equal(a.Values(s).Q, b.Values(s).Q);
        Assert.NotEqual(a.Values(s).Q, c.Values(s).Q);
    }
}
