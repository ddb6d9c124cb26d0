using AdaDeep.Compression.FineTuning;

namespace AdaDeep.Compression.Tests.FineTuning;

public class EpochPlanTests
{
    [Theory]
    [InlineData(24, 420.0, 30.0, 14)]
    [InlineData(24, 420.0, 10.0, 24)]
    [InlineData(24, 5.0, 30.0, 1)]
    [InlineData(3, 0.0, 30.0, 1)]
    public void Epochs_AreThoseThatFitTheBudgetAtTheFirstEpochsPace(int maxEpochs, double budgetSeconds, double firstEpochSeconds, int expected) =>
        Assert.Equal(expected, EpochPlan.Epochs(maxEpochs, TimeSpan.FromSeconds(budgetSeconds), TimeSpan.FromSeconds(firstEpochSeconds)));

    [Fact]
    public void Epochs_WithoutABudgetAreAllThatWereAskedFor() =>
        Assert.Equal(24, EpochPlan.Epochs(24, null, TimeSpan.FromSeconds(30)));

    [Theory]
    [InlineData(12, 24, 14, 7)]
    [InlineData(12, 24, 24, 12)]
    [InlineData(12, 24, 3, 2)]
    [InlineData(1, 24, 3, 1)]
    [InlineData(0, 24, 3, 0)]
    public void PruneRounds_ShrinkWithThePlanAndLeaveTheFinalRoundAfterTheFirst(int rounds, int maxEpochs, int planned, int expected) =>
        Assert.Equal(expected, EpochPlan.PruneRounds(rounds, maxEpochs, planned));
}
