namespace AdaDeep.Compression.Techniques.Linalg;

/// <summary>A dictionary D (m × k, unit-norm atoms) and sparse codes Z (k × n) with W ≈ D·Z.</summary>
public sealed record SparseCode(double[,] Dictionary, double[,] Codes)
{
    public int NonZeros
    {
        get
        {
            var count = 0;
            foreach (var z in Codes)
            {
                if (z != 0)
                {
                    count++;
                }
            }

            return count;
        }
    }
}

/// <summary>
/// Sparse coding of the columns of a weight matrix (the factorisation of SparseSep, paper ref. [6]):
/// each column of W is a combination of at most T atoms of a k-atom dictionary. Learned by a few rounds of
/// orthogonal matching pursuit (codes) and the method of optimal directions (dictionary), starting from the
/// leading singular vectors, so the result is deterministic and never worse-started than rank-k SVD.
/// </summary>
public static class SparseCoder
{
    public static SparseCode Learn(double[,] w, int atoms, int nonZerosPerColumn, int iterations, DeterministicRandom rng)
    {
        var m = w.GetLength(0);
        var n = w.GetLength(1);
        if (atoms < 1 || nonZerosPerColumn < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(atoms), "need at least one atom and one non-zero per code");
        }

        nonZerosPerColumn = Math.Min(nonZerosPerColumn, atoms);
        var d = InitialDictionary(w, atoms, rng);
        var z = Encode(d, w, nonZerosPerColumn);
        for (var it = 0; it < iterations; it++)
        {
            d = UpdateDictionary(w, d, z, rng);
            z = Encode(d, w, nonZerosPerColumn);
        }

        return new SparseCode(d, z);
    }

    /// <summary>Orthogonal matching pursuit of every column of W on the dictionary D (unit-norm atoms).</summary>
    public static double[,] Encode(double[,] d, double[,] w, int nonZeros)
    {
        var m = w.GetLength(0);
        var n = w.GetLength(1);
        var k = d.GetLength(1);
        var z = new double[k, n];
        var col = new double[m];
        var residual = new double[m];
        for (var j = 0; j < n; j++)
        {
            double norm = 0;
            for (var i = 0; i < m; i++)
            {
                col[i] = w[i, j];
                residual[i] = col[i];
                norm += col[i] * col[i];
            }

            if (norm == 0)
            {
                continue;
            }

            var selected = new List<int>();
            double[]? coef = null;
            for (var t = 0; t < nonZeros; t++)
            {
                var best = -1;
                var bestScore = 1e-12 * Math.Sqrt(norm);
                for (var a = 0; a < k; a++)
                {
                    if (selected.Contains(a))
                    {
                        continue;
                    }

                    double dot = 0;
                    for (var i = 0; i < m; i++)
                    {
                        dot += d[i, a] * residual[i];
                    }

                    if (Math.Abs(dot) > bestScore)
                    {
                        bestScore = Math.Abs(dot);
                        best = a;
                    }
                }

                if (best < 0)
                {
                    break;
                }

                selected.Add(best);
                coef = LeastSquaresOnAtoms(d, col, selected);
                for (var i = 0; i < m; i++)
                {
                    var approx = 0.0;
                    for (var s = 0; s < selected.Count; s++)
                    {
                        approx += d[i, selected[s]] * coef[s];
                    }

                    residual[i] = col[i] - approx;
                }
            }

            for (var s = 0; s < selected.Count; s++)
            {
                z[selected[s], j] = coef![s];
            }
        }

        return z;
    }

    private static double[] LeastSquaresOnAtoms(double[,] d, double[] col, List<int> atoms)
    {
        var s = atoms.Count;
        var m = col.Length;
        var g = new double[s, s];
        var b = new double[s, 1];
        for (var p = 0; p < s; p++)
        {
            for (var q = 0; q < s; q++)
            {
                double dot = 0;
                for (var i = 0; i < m; i++)
                {
                    dot += d[i, atoms[p]] * d[i, atoms[q]];
                }

                g[p, q] = dot;
            }

            double db = 0;
            for (var i = 0; i < m; i++)
            {
                db += d[i, atoms[p]] * col[i];
            }

            b[p, 0] = db;
        }

        var x = DenseAlgebra.SolveSymmetric(g, b);
        var result = new double[s];
        for (var p = 0; p < s; p++)
        {
            result[p] = x[p, 0];
        }

        return result;
    }

    private static double[,] InitialDictionary(double[,] w, int atoms, DeterministicRandom rng)
    {
        var m = w.GetLength(0);
        var svd = Svd.Truncated(w, atoms);
        var d = new double[m, atoms];
        for (var a = 0; a < atoms; a++)
        {
            if (a < svd.Rank && svd.S[a] > 1e-12 * Math.Max(svd.S[0], 1e-300))
            {
                for (var i = 0; i < m; i++)
                {
                    d[i, a] = svd.U[i, a];
                }
            }
            else
            {
                RandomUnitAtom(d, a, rng);
            }
        }

        return d;
    }

    // Method of optimal directions: D = W·Zᵀ·(Z·Zᵀ)⁻¹, atoms renormalised; unused atoms re-drawn at random.
    private static double[,] UpdateDictionary(double[,] w, double[,] d, double[,] z, DeterministicRandom rng)
    {
        var m = w.GetLength(0);
        var k = z.GetLength(0);
        var zt = Svd.Transpose(z);
        var gram = DenseAlgebra.Multiply(z, zt); // k × k
        var wzt = DenseAlgebra.Multiply(w, zt); // m × k
        var solved = DenseAlgebra.SolveSymmetric(gram, Svd.Transpose(wzt)); // k × m
        var next = Svd.Transpose(solved);
        for (var a = 0; a < k; a++)
        {
            double norm = 0;
            for (var i = 0; i < m; i++)
            {
                norm += next[i, a] * next[i, a];
            }

            norm = Math.Sqrt(norm);
            if (gram[a, a] == 0 || norm < 1e-12)
            {
                // Keep the previous atom when it was simply unused; it may be picked next round.
                for (var i = 0; i < m; i++)
                {
                    next[i, a] = d[i, a];
                }

                if (gram[a, a] == 0 && norm < 1e-12 && AtomIsZero(d, a))
                {
                    RandomUnitAtom(next, a, rng);
                }

                continue;
            }

            for (var i = 0; i < m; i++)
            {
                next[i, a] /= norm;
            }
        }

        return next;
    }

    private static bool AtomIsZero(double[,] d, int a)
    {
        for (var i = 0; i < d.GetLength(0); i++)
        {
            if (d[i, a] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void RandomUnitAtom(double[,] d, int a, DeterministicRandom rng)
    {
        var m = d.GetLength(0);
        double norm = 0;
        for (var i = 0; i < m; i++)
        {
            d[i, a] = rng.NextDouble() * 2 - 1;
            norm += d[i, a] * d[i, a];
        }

        norm = Math.Sqrt(norm);
        for (var i = 0; i < m; i++)
        {
            d[i, a] /= norm;
        }
    }
}
