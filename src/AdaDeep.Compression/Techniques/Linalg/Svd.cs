namespace AdaDeep.Compression.Techniques.Linalg;

/// <summary>
/// Thin singular value decomposition A = U·diag(S)·Vᵀ of a dense matrix by one-sided Jacobi rotations.
/// Deterministic (fixed sweep order, signs normalised), no external library, accurate to about 1e-12
/// relative; cost per sweep ~3·min(m,n)²·max(m,n), fine for the layer sizes of mobile models.
/// </summary>
public sealed class Svd
{
    private Svd(double[,] u, double[] s, double[,] v)
    {
        U = u;
        S = s;
        V = v;
    }

    /// <summary>Left singular vectors, m × r (r = min(m, n)), columns ordered by descending singular value.</summary>
    public double[,] U { get; }

    /// <summary>Singular values, descending, length r.</summary>
    public double[] S { get; }

    /// <summary>Right singular vectors, n × r.</summary>
    public double[,] V { get; }

    public int Rank => S.Length;

    public static Svd Compute(double[,] a)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        if (m == 0 || n == 0)
        {
            throw new ArgumentException("cannot decompose an empty matrix");
        }

        // Orthogonalise the columns of the taller orientation: rotations act on min(m, n) columns.
        if (m < n)
        {
            var t = Decompose(Transpose(a));
            return new Svd(t.V, t.S, t.U);
        }

        return Decompose(a);
    }

    /// <summary>
    /// The leading <paramref name="k"/> components only. Small matrices get the exact Jacobi SVD; when
    /// min(m, n) exceeds <paramref name="exactLimit"/> and k is small against it, a seeded randomized subspace
    /// iteration (Halko, Martinsson and Tropp 2011: k + 8 directions, 6 power steps, Jacobi on the projected
    /// matrix) gives the same leading components at O(m·n·k) cost, e.g. for the 4096-wide fc layers of AlexNet.
    /// </summary>
    public static Svd Truncated(double[,] a, int k, int exactLimit = 256)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var r = Math.Min(m, n);
        var l = k + 8;
        if (r <= exactLimit || 2 * l >= r)
        {
            return Compute(a);
        }

        var rng = new DeterministicRandom(0x5EED);
        var omega = new double[n, l];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < l; j++)
            {
                omega[i, j] = rng.NextDouble() * 2 - 1;
            }
        }

        var at = Transpose(a);
        var q = Orthonormalize(DenseAlgebra.Multiply(a, omega));
        for (var it = 0; it < 6; it++)
        {
            var z = Orthonormalize(DenseAlgebra.Multiply(at, q));
            q = Orthonormalize(DenseAlgebra.Multiply(a, z));
        }

        var small = Compute(DenseAlgebra.Multiply(Transpose(q), a)); // l × n
        var u = DenseAlgebra.Multiply(q, small.U); // m × l
        var keep = Math.Min(k, small.Rank);
        var uk = new double[m, keep];
        var vk = new double[n, keep];
        for (var c = 0; c < keep; c++)
        {
            for (var i = 0; i < m; i++)
            {
                uk[i, c] = u[i, c];
            }

            for (var i = 0; i < n; i++)
            {
                vk[i, c] = small.V[i, c];
            }
        }

        return new Svd(uk, small.S.Take(keep).ToArray(), vk);
    }

    /// <summary>Orthonormal columns spanning those of <paramref name="y"/> (modified Gram–Schmidt, applied twice).</summary>
    public static double[,] Orthonormalize(double[,] y)
    {
        var m = y.GetLength(0);
        var l = y.GetLength(1);
        var q = (double[,])y.Clone();
        for (var pass = 0; pass < 2; pass++)
        {
            for (var j = 0; j < l; j++)
            {
                for (var p = 0; p < j; p++)
                {
                    double dot = 0;
                    for (var i = 0; i < m; i++)
                    {
                        dot += q[i, p] * q[i, j];
                    }

                    for (var i = 0; i < m; i++)
                    {
                        q[i, j] -= dot * q[i, p];
                    }
                }

                double norm = 0;
                for (var i = 0; i < m; i++)
                {
                    norm += q[i, j] * q[i, j];
                }

                norm = Math.Sqrt(norm);
                for (var i = 0; i < m; i++)
                {
                    q[i, j] = norm > 1e-300 ? q[i, j] / norm : 0;
                }
            }
        }

        return q;
    }

    /// <summary>The best rank-k approximation U_k·diag(S_k)·V_kᵀ (Eckart–Young).</summary>
    public double[,] Reconstruct(int k)
    {
        k = Math.Min(k, Rank);
        var m = U.GetLength(0);
        var n = V.GetLength(0);
        var r = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var l = 0; l < k; l++)
                {
                    sum += U[i, l] * S[l] * V[j, l];
                }

                r[i, j] = sum;
            }
        }

        return r;
    }

    public static double[,] Transpose(double[,] a)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var t = new double[n, m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }

    // m >= n: rotate pairs of columns of a working copy until all are orthogonal.
    private static Svd Decompose(double[,] a)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        var cols = new double[n][];
        var vcols = new double[n][];
        for (var j = 0; j < n; j++)
        {
            cols[j] = new double[m];
            for (var i = 0; i < m; i++)
            {
                cols[j][i] = a[i, j];
            }

            vcols[j] = new double[n];
            vcols[j][j] = 1;
        }

        const double eps = 1e-15;
        for (var sweep = 0; sweep < 80; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    var cp = cols[p];
                    var cq = cols[q];
                    for (var i = 0; i < m; i++)
                    {
                        alpha += cp[i] * cp[i];
                        beta += cq[i] * cq[i];
                        gamma += cp[i] * cq[i];
                    }

                    if (Math.Abs(gamma) <= eps * Math.Sqrt(alpha * beta) || gamma == 0)
                    {
                        continue;
                    }

                    rotated = true;
                    var zeta = (beta - alpha) / (2 * gamma);
                    var t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    var c = 1 / Math.Sqrt(1 + t * t);
                    var s = c * t;
                    Rotate(cp, cq, c, s);
                    Rotate(vcols[p], vcols[q], c, s);
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        var norms = cols.Select(c => Math.Sqrt(c.Sum(x => x * x))).ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(j => norms[j]).ThenBy(j => j).ToArray();
        var u = new double[m, n];
        var v = new double[n, n];
        var sv = new double[n];
        for (var k = 0; k < n; k++)
        {
            var j = order[k];
            sv[k] = norms[j];
            // Sign convention: the largest-magnitude entry of each left vector is positive (deterministic output).
            var sign = 1.0;
            if (norms[j] > 0)
            {
                var big = 0.0;
                for (var i = 0; i < m; i++)
                {
                    if (Math.Abs(cols[j][i]) > Math.Abs(big))
                    {
                        big = cols[j][i];
                    }
                }

                sign = big < 0 ? -1 : 1;
            }
            else
            {
                // A null direction: keep V orthonormal and leave the (zero) left vector as is.
                var big = vcols[j].OrderByDescending(Math.Abs).First();
                sign = big < 0 ? -1 : 1;
            }

            for (var i = 0; i < m; i++)
            {
                u[i, k] = norms[j] > 0 ? sign * cols[j][i] / norms[j] : 0;
            }

            for (var i = 0; i < n; i++)
            {
                v[i, k] = sign * vcols[j][i];
            }
        }

        return new Svd(u, sv, v);
    }

    private static void Rotate(double[] x, double[] y, double c, double s)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var xi = x[i];
            var yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
    }
}
