using AdaDeep.Search.Dqn;

namespace AdaDeep.Search.Tests.Dqn;

public class ReplayMemoryTests
{
    private static Transition T(int action) => new(new float[1], action, 0, 0, new float[1], true, new bool[1]);

    [Fact]
    public void OverwritesTheOldest_WhenFull()
    {
        var memory = new ReplayMemory(3);
        for (var i = 0; i < 5; i++)
        {
            memory.Add(T(i));
        }

        Assert.Equal(3, memory.Count);
        var actions = memory.Sample(200, new Random(1)).Select(t => t.Action).ToHashSet();
        Assert.Equal(new HashSet<int> { 2, 3, 4 }, actions);
    }

    [Fact]
    public void SeededSampling_IsRepeatable()
    {
        var memory = new ReplayMemory(10);
        for (var i = 0; i < 10; i++)
        {
            memory.Add(T(i));
        }

        Assert.Equal(memory.Sample(6, new Random(5)).Select(t => t.Action), memory.Sample(6, new Random(5)).Select(t => t.Action));
    }
}

public class EpsilonScheduleTests
{
    [Fact]
    public void AnnealsLinearly_ThenHolds()
    {
        var schedule = EpsilonSchedule.For(DqnOptions.Default with { EpsilonStart = 1.0 }, episodes: 100); // decays over 70 episodes
        Assert.Equal(70, schedule.DecayEpisodes);
        Assert.Equal(1.0, schedule.At(0));
        Assert.Equal(1.0 + (0.001 - 1.0) * 35 / 70, schedule.At(35), 12);
        Assert.Equal(0.001, schedule.At(70));
        Assert.Equal(0.001, schedule.At(99));
    }
}
