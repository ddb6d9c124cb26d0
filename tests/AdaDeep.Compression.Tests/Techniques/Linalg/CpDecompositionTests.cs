using AdaDeep.Compression.Techniques.Linalg;

namespace AdaDeep.Compression.Tests.Techniques.Linalg;

public class CpDecompositionTests
{
    [Fact]
    public void RecoversATensorOfTheSameRank()
    {
        var rng = new DeterministicRandom(9);
        var a = new double[6, 2];
        var b = new double[4, 2];
        var c = new double[9, 2];
        foreach (var m in new[] { a, b, c })
        {
            for (var i = 0; i < m.GetLength(0); i++)
            {
                for (var r = 0; r < 2; r++)
                {
                    m[i, r] = rng.NextDouble() * 2 - 1;
                }
            }
        }

        var t = CpDecomposition.Reconstruct(new CpFactors(a, b, c));
        var fit = CpDecomposition.Reconstruct(CpDecomposition.Fit(t, 2, 200, new DeterministicRandom(1)));
        double err = 0, norm = 0;
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                for (var k = 0; k < 9; k++)
                {
                    err += Math.Pow(t[i, j, k] - fit[i, j, k], 2);
                    norm += t[i, j, k] * t[i, j, k];
                }
            }
        }

        Assert.True(err / norm < 1e-6, $"relative squared error {err / norm}");
    }
}
