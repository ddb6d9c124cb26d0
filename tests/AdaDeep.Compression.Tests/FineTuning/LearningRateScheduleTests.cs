using AdaDeep.Compression.FineTuning;

namespace AdaDeep.Compression.Tests.FineTuning;

public class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_StartsAtTheBaseRateAndFallsEveryEpochToNearZero()
    {
        var rates = Enumerable.Range(1, 14).Select(e => LearningRates.At(LearningRateSchedule.Cosine, 1e-3, e, 14)).ToArray();

        Assert.Equal(1e-3, rates[0], 12);
        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second < pair.First, $"{pair.Second} ≥ {pair.First}"));
        Assert.Equal(0.5e-3, LearningRates.At(LearningRateSchedule.Cosine, 1e-3, 8, 14), 12);
        Assert.InRange(rates[^1], 1e-6, 0.02e-3);
    }

    [Fact]
    public void Cosine_PastThePlanKeepsTheLastEpochsRate()
    {
        var last = LearningRates.At(LearningRateSchedule.Cosine, 1e-3, 14, 14);

        Assert.Equal(last, LearningRates.At(LearningRateSchedule.Cosine, 1e-3, 20, 14));
    }

    [Fact]
    public void Constant_IsTheBaseRateEveryEpoch() =>
        Assert.All(Enumerable.Range(1, 5), e => Assert.Equal(1e-3, LearningRates.At(LearningRateSchedule.Constant, 1e-3, e, 5)));

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 0)]
    public void At_RejectsEpochsOutsideThePlan(int epoch, int planned) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRates.At(LearningRateSchedule.Cosine, 1e-3, epoch, planned));
}
