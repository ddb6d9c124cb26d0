using AdaDeep.Compression.FineTuning;

namespace AdaDeep.Compression.Tests.FineTuning;

public class PruneScheduleTests
{
    [Fact]
    public void ZerosAt_RampsCubicallyAndEndsExactlyAtTheTarget()
    {
        var zeros = Enumerable.Range(0, 5).Select(k => PruneSchedule.ZerosAt(100, k, 4)).ToArray();

        // 100·(1 − (1 − k/4)³): 0, 57.8, 87.5, 98.4, 100.
        Assert.Equal(new[] { 0, 57, 87, 98, 100 }, zeros);
        Assert.Equal(7, PruneSchedule.ZerosAt(7, 1, 1));
    }

    [Theory]
    [InlineData(10, 5, 4)]
    [InlineData(10, -1, 4)]
    [InlineData(10, 1, 0)]
    [InlineData(-1, 1, 2)]
    public void ZerosAt_RejectsStepsOutsideTheSchedule(int finalZeros, int step, int steps) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PruneSchedule.ZerosAt(finalZeros, step, steps));

    [Fact]
    public void KeepMask_DropsTheSmallestMagnitudesWithTiesByPosition()
    {
        var keep = PruneSchedule.KeepMask(new[] { 3f, -1f, 1f, 0.5f, -2f }, 2);

        Assert.Equal(new[] { 1f, 0f, 1f, 0f, 1f }, keep);
        Assert.All(PruneSchedule.KeepMask(new[] { 1f, 2f }, 0), k => Assert.Equal(1f, k));
        Assert.Throws<ArgumentOutOfRangeException>(() => PruneSchedule.KeepMask(new[] { 1f }, 2));
    }
}
