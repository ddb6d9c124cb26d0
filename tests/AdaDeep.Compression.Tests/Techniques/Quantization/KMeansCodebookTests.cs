using AdaDeep.Compression.Techniques.Quantization;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Techniques.Quantization;

public class KMeansCodebookTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    public void SharesAtMostTwoToTheBitsMinusOneValuesAndKeepsZeros(int bits)
    {
        var values = TinyModels.Weights(4000, seed: bits);
        for (var i = 0; i < values.Length; i += 3)
        {
            values[i] = 0;
        }

        var shared = KMeansCodebook.Quantize(values, bits);
        Assert.True(shared.Where(v => v != 0).Distinct().Count() <= (1 << bits) - 1);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i] == 0, shared[i] == 0);
            Assert.Equal((float)(Half)shared[i], shared[i]); // fp16-exact codebook
        }

        var range = values.Max() - values.Min();
        var worst = values.Zip(shared, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= range / ((1 << bits) - 2) + 1e-3, $"worst error {worst} for range {range}");
        Assert.Equal(shared, KMeansCodebook.Quantize(values, bits));
    }

    [Fact]
    public void CentroidsAreTheClusterMeansOfSeparatedGroups()
    {
        var data = new double[] { -1.1, -1.0, -0.9, 2.0, 2.2, 5.0 };
        Assert.Equal(new[] { -1.0, 2.1, 5.0 }, KMeansCodebook.Centroids(data, 3).Select(c => Math.Round(c, 6)));
    }
}
