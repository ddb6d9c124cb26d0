using AdaDeep.Compression.Techniques.Linalg;

namespace AdaDeep.Compression.Tests.Techniques.Linalg;

public class SvdTests
{
    private static double[,] RandomMatrix(int m, int n, int seed)
    {
        var rng = new DeterministicRandom(seed);
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = rng.NextDouble() * 2 - 1;
            }
        }

        return a;
    }

    [Theory]
    [InlineData(7, 4)]
    [InlineData(4, 7)]
    [InlineData(16, 72)]
    [InlineData(1, 5)]
    public void FullRankReconstructsTheMatrix(int m, int n)
    {
        var a = RandomMatrix(m, n, m * 100 + n);
        var svd = Svd.Compute(a);
        Assert.Equal(Math.Min(m, n), svd.Rank);
        var back = svd.Reconstruct(svd.Rank);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(a[i, j], back[i, j], 1e-10);
            }
        }
    }

    [Fact]
    public void SingularVectorsAreOrthonormalAndValuesDescend()
    {
        var svd = Svd.Compute(RandomMatrix(9, 6, 3));
        for (var p = 0; p < 6; p++)
        {
            for (var q = 0; q < 6; q++)
            {
                double u = 0, v = 0;
                for (var i = 0; i < 9; i++)
                {
                    u += svd.U[i, p] * svd.U[i, q];
                }

                for (var i = 0; i < 6; i++)
                {
                    v += svd.V[i, p] * svd.V[i, q];
                }

                Assert.Equal(p == q ? 1 : 0, u, 1e-10);
                Assert.Equal(p == q ? 1 : 0, v, 1e-10);
            }
        }

        Assert.True(svd.S.Zip(svd.S.Skip(1)).All(pair => pair.First >= pair.Second));
    }

    [Fact]
    public void TruncationKeepsTheLargestComponent()
    {
        // A rank-1 matrix plus small noise: the rank-1 approximation is close, the residual is the noise level.
        var a = new double[5, 4];
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                a[i, j] = (i + 1) * (j - 1.5) + 1e-3 * ((i * 7 + j * 3) % 5 - 2);
            }
        }

        var svd = Svd.Compute(a);
        var approx = svd.Reconstruct(1);
        var residual = 0.0;
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                residual = Math.Max(residual, Math.Abs(a[i, j] - approx[i, j]));
            }
        }

        Assert.True(residual < 5e-3, $"residual {residual}");
        Assert.True(svd.S[1] < 1e-2 * svd.S[0]);
    }

    [Fact]
    public void IsDeterministic()
    {
        var a = RandomMatrix(8, 5, 11);
        Assert.Equal(Svd.Compute(a).U, Svd.Compute(a).U);
    }
}

public class TruncatedSvdTests
{
    [Fact]
    public void RandomizedPathFindsTheLeadingComponentsOfALargeMatrix()
    {
        // A = Σ s_i·u_i·v_iᵀ with a decaying spectrum, 300 × 400 (above the exact-Jacobi limit).
        const int m = 300, n = 400, rank = 20;
        var rng = new DeterministicRandom(3);
        var u = Svd.Orthonormalize(Fill(m, rank, rng));
        var v = Svd.Orthonormalize(Fill(n, rank, rng));
        var s = Enumerable.Range(0, rank).Select(i => 10.0 * Math.Pow(0.6, i)).ToArray();
        var a = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var r = 0; r < rank; r++)
                {
                    sum += u[i, r] * s[r] * v[j, r];
                }

                a[i, j] = sum;
            }
        }

        var svd = Svd.Truncated(a, 4);
        Assert.Equal(4, svd.Rank);
        for (var r = 0; r < 4; r++)
        {
            Assert.Equal(s[r], svd.S[r], 1e-6);
            var dot = Enumerable.Range(0, m).Sum(i => svd.U[i, r] * u[i, r]);
            Assert.Equal(1.0, Math.Abs(dot), 1e-6);
        }
    }

    private static double[,] Fill(int rows, int cols, DeterministicRandom rng)
    {
        var x = new double[rows, cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                x[i, j] = rng.NextDouble() * 2 - 1;
            }
        }

        return x;
    }
}
