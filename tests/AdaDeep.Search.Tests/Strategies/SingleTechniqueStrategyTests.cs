using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Core;
using AdaDeep.Search.Strategies;
using AdaDeep.Search.Tests.Toy;

namespace AdaDeep.Search.Tests.Strategies;

public class SingleTechniqueStrategyTests
{
    [Fact]
    public void AppliesTheTechniqueOnEveryLayer()
    {
        var result = new SingleTechniqueStrategy("FAST").Search(new TrapEnvironment(), SearchOptions.Default, null, CancellationToken.None);
        Assert.Equal("single:FAST", result.Strategy);
        Assert.Equal(new[] { "fast", "fast", "fast", "fast" }, result.Best.Actions);
        Assert.Equal(TrapEnvironment.MetricsOf(new[] { 1, 1, 1, 1 }), result.Best.Metrics);
    }

    [Fact]
    public void ReturnsTheConfiguration_EvenWhenTheOriginalScoresHigher()
    {
        // With a minimum accuracy of 0.89, "fast" everywhere (A = 0.88) scores below the original.
        var env = new FunctionEnvironment(new TrapEnvironment().DecisionPoints, new[] { "none", "fast", "enabler" },
            new SearchBudgets { MinAccuracy = 0.89 }, c => TrapEnvironment.MetricsOf(c));
        var result = new SingleTechniqueStrategy("fast").Search(env, SearchOptions.Default, null, CancellationToken.None);
        Assert.True(result.Best.Reward < result.Original.Reward);
        Assert.Equal(new[] { "fast", "fast", "fast", "fast" }, result.Best.Actions);
    }

    [Fact]
    public void UnknownTechnique_IsAnActionableError()
    {
        var e = Assert.Throws<AdaDeepException>(() => new SingleTechniqueStrategy("Z9").Search(new TrapEnvironment(), SearchOptions.Default, null, CancellationToken.None));
        Assert.Equal(ErrorCodes.TechniqueUnknown, e.Code);
    }
}
