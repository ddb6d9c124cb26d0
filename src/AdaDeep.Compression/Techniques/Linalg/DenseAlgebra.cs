namespace AdaDeep.Compression.Techniques.Linalg;

/// <summary>Small dense helpers the factorisations share (row-major double[,] matrices).</summary>
public static class DenseAlgebra
{
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = a.GetLength(0);
        var k = a.GetLength(1);
        var n = b.GetLength(1);
        if (b.GetLength(0) != k)
        {
            throw new ArgumentException($"cannot multiply {m}x{k} by {b.GetLength(0)}x{n}");
        }

        var c = new double[m, n];
        for (var i = 0; i < m; i++)
        {
            for (var l = 0; l < k; l++)
            {
                var ail = a[i, l];
                if (ail == 0)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    c[i, j] += ail * b[l, j];
                }
            }
        }

        return c;
    }

    /// <summary>Solves the symmetric positive (semi)definite system G·X = B with a small ridge for stability.</summary>
    public static double[,] SolveSymmetric(double[,] g, double[,] b, double ridge = 1e-10)
    {
        var n = g.GetLength(0);
        var cols = b.GetLength(1);
        var a = (double[,])g.Clone();
        var trace = 0.0;
        for (var i = 0; i < n; i++)
        {
            trace += Math.Abs(a[i, i]);
        }

        var lambda = ridge * Math.Max(trace / Math.Max(n, 1), 1e-30);
        for (var i = 0; i < n; i++)
        {
            a[i, i] += lambda;
        }

        // Gaussian elimination with partial pivoting on [A | B].
        var x = (double[,])b.Clone();
        for (var p = 0; p < n; p++)
        {
            var pivot = p;
            for (var i = p + 1; i < n; i++)
            {
                if (Math.Abs(a[i, p]) > Math.Abs(a[pivot, p]))
                {
                    pivot = i;
                }
            }

            if (pivot != p)
            {
                SwapRows(a, p, pivot);
                SwapRows(x, p, pivot);
            }

            var d = a[p, p];
            if (Math.Abs(d) < 1e-300)
            {
                continue; // singular direction: leave its unknowns at zero
            }

            for (var i = p + 1; i < n; i++)
            {
                var f = a[i, p] / d;
                if (f == 0)
                {
                    continue;
                }

                for (var j = p; j < n; j++)
                {
                    a[i, j] -= f * a[p, j];
                }

                for (var j = 0; j < cols; j++)
                {
                    x[i, j] -= f * x[p, j];
                }
            }
        }

        for (var p = n - 1; p >= 0; p--)
        {
            var d = a[p, p];
            for (var j = 0; j < cols; j++)
            {
                var sum = x[p, j];
                for (var l = p + 1; l < n; l++)
                {
                    sum -= a[p, l] * x[l, j];
                }

                x[p, j] = Math.Abs(d) < 1e-300 ? 0 : sum / d;
            }
        }

        return x;
    }

    public static double FrobeniusNorm(double[,] a)
    {
        double s = 0;
        foreach (var v in a)
        {
            s += v * v;
        }

        return Math.Sqrt(s);
    }

    public static double[,] FromFloats(float[] values, int rows, int cols)
    {
        var m = new double[rows, cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                m[i, j] = values[i * cols + j];
            }
        }

        return m;
    }

    public static float[] ToFloats(double[,] m)
    {
        var rows = m.GetLength(0);
        var cols = m.GetLength(1);
        var f = new float[rows * cols];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                f[i * cols + j] = (float)m[i, j];
            }
        }

        return f;
    }

    private static void SwapRows(double[,] a, int r1, int r2)
    {
        for (var j = 0; j < a.GetLength(1); j++)
        {
            (a[r1, j], a[r2, j]) = (a[r2, j], a[r1, j]);
        }
    }
}
