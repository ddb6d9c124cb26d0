using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Dqn;
using AdaDeep.Search.Strategies;

namespace AdaDeep.Search.Tests.Strategies;

public class SearchStrategiesTests
{
    [Theory]
    [InlineData("dqn", typeof(DqnStrategy))]
    [InlineData("Greedy", typeof(GreedyStrategy))]
    [InlineData("exhaustive", typeof(ExhaustiveStrategy))]
    [InlineData("random", typeof(RandomStrategy))]
    [InlineData("single:W3", typeof(SingleTechniqueStrategy))]
    public void CreatesByStrategyId(string id, Type expected)
    {
        var strategy = SearchStrategies.Create(id);
        Assert.IsType(expected, strategy);
        Assert.Equal(id.ToLowerInvariant(), strategy.Id.ToLowerInvariant());
    }

    [Theory]
    [InlineData("annealing")]
    [InlineData("single:")]
    public void UnknownId_IsAnActionableError(string id)
    {
        var e = Assert.Throws<AdaDeepException>(() => SearchStrategies.Create(id));
        Assert.Equal(ErrorCodes.SearchStrategyUnknown, e.Code);
    }
}
