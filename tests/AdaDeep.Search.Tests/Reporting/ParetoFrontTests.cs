using AdaDeep.Search.Core;
using AdaDeep.Search.Reporting;

namespace AdaDeep.Search.Tests.Reporting;

public class ParetoFrontTests
{
    private static SearchCandidate C(string id, double accuracy, double latency) =>
        new(new[] { id }, new ConfigurationMetrics(accuracy, latency, 1, 1, 1), 0, 0, true, 0);

    [Fact]
    public void KeepsOnlyTheUndominated_InIncreasingLatency()
    {
        var front = ParetoFront.AccuracyLatency(new[]
        {
            C("a", 0.90, 10), C("b", 0.95, 12), C("dominated", 0.89, 11), C("c", 0.80, 5), C("d", 0.97, 20),
            C("worse", 0.96, 25), C("tie-later", 0.80, 5),
        });
        Assert.Equal(new[] { "c", "a", "b", "d" }, front.Select(c => c.Actions[0]));
    }

    [Fact]
    public void EmptyInput_EmptyFront() => Assert.Empty(ParetoFront.AccuracyLatency(Array.Empty<SearchCandidate>()));
}
