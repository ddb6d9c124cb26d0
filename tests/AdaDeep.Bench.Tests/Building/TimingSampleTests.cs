using AdaDeep.Bench.Building;

namespace AdaDeep.Bench.Tests.Building;

public class TimingSampleTests
{
    [Fact]
    public void Median_OfAnOddCount_IsTheMiddleValue()
    {
        var sample = new TimingSample(new[] { 9.0, 7.5, 10.5 });

        Assert.Equal(9.0, sample.Median);
        Assert.Equal(7.5, sample.Min);
        Assert.Equal(10.5, sample.Max);
    }

    [Fact]
    public void Median_OfAnEvenCount_AveragesTheMiddlePair()
    {
        Assert.Equal(2.5, new TimingSample(new[] { 4.0, 1.0, 3.0, 2.0 }).Median);
    }

    [Fact]
    public void Empty_IsNaN()
    {
        Assert.True(double.IsNaN(new TimingSample(Array.Empty<double>()).Median));
    }
}
