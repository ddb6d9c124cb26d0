using AdaDeep.Search.Core;
using AdaDeep.Search.Dqn;
using AdaDeep.Search.Tests.Toy;
using Xunit.Abstractions;

namespace AdaDeep.Search.Tests.Dqn;

public class ExperimentTests(ITestOutputHelper output)
{
    [Fact]
    public void Sweep()
    {
        var spec = Environment.GetEnvironmentVariable("SWEEP") ?? "100,200,400";
        foreach (var episodes in spec.Split(',').Select(int.Parse))
        {
            var ok = 0;
            for (var seed = 1; seed <= 8; seed++)
            {
                var env = new TrapEnvironment();
                var dqn = new DqnStrategy();
                var opts = SearchOptions.Default with { Seed = seed, Episodes = episodes, Clock = new ManualClock(), Dqn = DqnOptions.Default with { TrainStepsPerTransition = int.Parse(Environment.GetEnvironmentVariable("TS") ?? "1"), LearningRate = double.Parse(Environment.GetEnvironmentVariable("LR") ?? "0.001"), TargetSyncSteps = int.Parse(Environment.GetEnvironmentVariable("SYNC") ?? "100"), EpsilonDecayFraction = double.Parse(Environment.GetEnvironmentVariable("DECAY") ?? "0.7") } };
                var r = dqn.Search(env, opts, null, CancellationToken.None);
                var good = dqn.LastPolicyConfiguration!.SequenceEqual(TrapEnvironment.Optimum);
                ok += good ? 1 : 0;
                var firstBest = r.Candidates.FirstOrDefault(c => c.Actions.All(a => a == "enabler"))?.FirstSeenAt;
                output.WriteLine($"episodes {episodes} seed {seed}: policy {string.Join(",", dqn.LastPolicyConfiguration!)} {(good ? "OPT" : "")} first optimum at {firstBest}");
            }
            output.WriteLine($"episodes {episodes}: {ok}/8");
        }
    }
}
