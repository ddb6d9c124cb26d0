namespace AdaDeep.Compression.Techniques.Linalg;

/// <summary>Factors of a rank-r CP decomposition T[i,j,k] ≈ Σ_r A[i,r]·B[j,r]·C[k,r].</summary>
public sealed record CpFactors(double[,] A, double[,] B, double[,] C);

/// <summary>
/// Canonical polyadic (CP) decomposition of a 3-way tensor by alternating least squares, started from the
/// leading singular vectors of the unfoldings (deterministic). B and C columns come back with unit norm and
/// the scale in A. Used to fit a reduce-1×1 → depthwise → pointwise chain to a dense kernel (C2).
/// </summary>
public static class CpDecomposition
{
    public static CpFactors Fit(double[,,] t, int rank, int iterations, DeterministicRandom rng)
    {
        var ni = t.GetLength(0);
        var nj = t.GetLength(1);
        var nk = t.GetLength(2);
        var b = LeadingVectors(Unfold(t, 1), rank, rng);
        var c = LeadingVectors(Unfold(t, 2), rank, rng);
        var a = new double[ni, rank];
        for (var it = 0; it <= iterations; it++)
        {
            a = Update(t, 0, b, c);
            b = Update(t, 1, a, c);
            c = Update(t, 2, a, b);
        }

        // Normalise B and C, move the scale into A.
        for (var r = 0; r < rank; r++)
        {
            var nb = ColumnNorm(b, r);
            var nc = ColumnNorm(c, r);
            for (var j = 0; j < nj; j++)
            {
                b[j, r] = nb > 0 ? b[j, r] / nb : 0;
            }

            for (var k = 0; k < nk; k++)
            {
                c[k, r] = nc > 0 ? c[k, r] / nc : 0;
            }

            for (var i = 0; i < ni; i++)
            {
                a[i, r] *= nb * nc;
            }
        }

        return new CpFactors(a, b, c);
    }

    public static double[,,] Reconstruct(CpFactors f)
    {
        var ni = f.A.GetLength(0);
        var nj = f.B.GetLength(0);
        var nk = f.C.GetLength(0);
        var rank = f.A.GetLength(1);
        var t = new double[ni, nj, nk];
        for (var i = 0; i < ni; i++)
        {
            for (var j = 0; j < nj; j++)
            {
                for (var k = 0; k < nk; k++)
                {
                    double s = 0;
                    for (var r = 0; r < rank; r++)
                    {
                        s += f.A[i, r] * f.B[j, r] * f.C[k, r];
                    }

                    t[i, j, k] = s;
                }
            }
        }

        return t;
    }

    // Solves for the factor of one mode given the other two: X = T_(mode)·(Q ⊙ P)·((PᵀP)∘(QᵀQ))⁻¹.
    private static double[,] Update(double[,,] t, int mode, double[,] p, double[,] q)
    {
        var rank = p.GetLength(1);
        var dims = new[] { t.GetLength(0), t.GetLength(1), t.GetLength(2) };
        var rows = dims[mode];
        var mttkrp = new double[rows, rank];
        for (var i = 0; i < dims[0]; i++)
        {
            for (var j = 0; j < dims[1]; j++)
            {
                for (var k = 0; k < dims[2]; k++)
                {
                    var v = t[i, j, k];
                    if (v == 0)
                    {
                        continue;
                    }

                    var (row, pi, qi) = mode switch
                    {
                        0 => (i, j, k),
                        1 => (j, i, k),
                        _ => (k, i, j),
                    };
                    for (var r = 0; r < rank; r++)
                    {
                        mttkrp[row, r] += v * p[pi, r] * q[qi, r];
                    }
                }
            }
        }

        var gram = new double[rank, rank];
        for (var r1 = 0; r1 < rank; r1++)
        {
            for (var r2 = 0; r2 < rank; r2++)
            {
                double gp = 0, gq = 0;
                for (var x = 0; x < p.GetLength(0); x++)
                {
                    gp += p[x, r1] * p[x, r2];
                }

                for (var x = 0; x < q.GetLength(0); x++)
                {
                    gq += q[x, r1] * q[x, r2];
                }

                gram[r1, r2] = gp * gq;
            }
        }

        return Svd.Transpose(DenseAlgebra.SolveSymmetric(gram, Svd.Transpose(mttkrp), 1e-9));
    }

    private static double[,] Unfold(double[,,] t, int mode)
    {
        var dims = new[] { t.GetLength(0), t.GetLength(1), t.GetLength(2) };
        var rows = dims[mode];
        var cols = dims[0] * dims[1] * dims[2] / rows;
        var u = new double[rows, cols];
        var counters = new int[rows];
        for (var i = 0; i < dims[0]; i++)
        {
            for (var j = 0; j < dims[1]; j++)
            {
                for (var k = 0; k < dims[2]; k++)
                {
                    var row = mode switch { 0 => i, 1 => j, _ => k };
                    u[row, counters[row]++] = t[i, j, k];
                }
            }
        }

        return u;
    }

    private static double[,] LeadingVectors(double[,] m, int rank, DeterministicRandom rng)
    {
        var rows = m.GetLength(0);
        var svd = Svd.Truncated(m, rank);
        var v = new double[rows, rank];
        for (var r = 0; r < rank; r++)
        {
            var usable = r < svd.Rank && svd.S[r] > 1e-12 * Math.Max(svd.S[0], 1e-300);
            for (var i = 0; i < rows; i++)
            {
                v[i, r] = usable ? svd.U[i, r] : rng.NextDouble() * 2 - 1;
            }
        }

        return v;
    }

    private static double ColumnNorm(double[,] m, int col)
    {
        double s = 0;
        for (var i = 0; i < m.GetLength(0); i++)
        {
            s += m[i, col] * m[i, col];
        }

        return Math.Sqrt(s);
    }
}
