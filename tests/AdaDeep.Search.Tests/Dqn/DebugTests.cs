using System.Diagnostics;
using AdaDeep.Search.Core;
using AdaDeep.Search.Dqn;
using AdaDeep.Search.Tests.Toy;
using Xunit.Abstractions;

namespace AdaDeep.Search.Tests.Dqn;

public class DebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Bench()
    {
        TorchSharp.torch.set_num_threads(1);
        var env = new TrapEnvironment();
        using var agent = new DqnAgent(env.StateSize, 3, DqnOptions.Default with { GradientClipNorm = double.Parse(Environment.GetEnvironmentVariable("CLIP") ?? "10") }, 1);
        var s = env.Reset();
        var rng = new Random(1);
        for (var i = 0; i < 100; i++) agent.Remember(new Transition(s, rng.Next(3), 0.1f, 0.2f, s, i % 4 == 0, new[] { true, true, true }));
        var batch = Enumerable.Range(0, 32).Select(_ => new Transition(s, rng.Next(3), 0.1f, 0.2f, s, false, new[] { true, true, true })).ToArray();
        for (var i = 0; i < 50; i++) agent.TrainStep(batch);
        var sw = Stopwatch.StartNew(); var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < 500; i++) agent.TrainStep(batch);
        output.WriteLine($"train step {sw.Elapsed.TotalMilliseconds / 500:F3} ms wall, {(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 500:F3} ms cpu");
        sw.Restart();
        for (var i = 0; i < 500; i++) agent.Greedy(s, new[] { 0, 1, 2 });
        output.WriteLine($"act {sw.Elapsed.TotalMilliseconds / 500:F3} ms");
    }
}
