using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Engine.Tests.Pipeline;

public class SearchStageCapTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void TheSearchGetsWhatTheBudgetLeaves_AfterTheStartAndAReserveForTheChecks()
    {
        // 180 s budget, 20 s spent loading and measuring, the original measured in 15 s: 180 − 20 − 3·15 = 115 s.
        Assert.Equal(S(115), SearchStageCap.For(S(180), S(20), S(15)));
    }

    [Fact]
    public void ASmallModel_KeepsAlmostTheWholeBudget()
    {
        Assert.Equal(S(180 - 0.5 - 0.3), SearchStageCap.For(S(180), S(0.5), S(0.1)));
    }

    [Fact]
    public void ASlowStart_StillLeavesAQuarterOfTheBudget()
    {
        Assert.Equal(S(45), SearchStageCap.For(S(180), S(150), S(40)));
    }
}
