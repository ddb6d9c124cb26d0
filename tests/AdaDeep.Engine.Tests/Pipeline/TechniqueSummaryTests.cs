using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>The one-word summary of what ships names every stage that changed the bytes, never "none" for a smaller file.</summary>
public class TechniqueSummaryTests
{
    [Theory]
    [InlineData(new[] { "none", "none" }, false, false, "none")]
    [InlineData(new[] { "none", "none" }, true, false, "Q8W")]
    [InlineData(new[] { "none", "none" }, false, true, "shared")]
    [InlineData(new[] { "P1", "none", "P1" }, true, true, "P1+Q8W+shared")]
    [InlineData(new[] { "Q8W", "P2@25" }, true, false, "Q8W+P2@25")]
    public void NamesTheSearchsTechniques_ThenInt8ForTheRest_ThenSharedWeights(string[] actions, bool int8Rest, bool shared, string expected) =>
        Assert.Equal(expected, CompressPipeline.TechniqueSummary(actions, int8Rest, shared));
}
