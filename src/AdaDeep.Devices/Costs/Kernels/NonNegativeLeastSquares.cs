namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>
/// Non-negative least squares, min ‖A·x − b‖² subject to x ≥ 0, by the Lawson–Hanson active-set method (Solving Least
/// Squares Problems, 1974, ch. 23). Used to fit kernel cost coefficients, which are times and cannot be negative.
/// Columns are scaled to unit norm before solving (MAC counts and constants differ by seven orders of magnitude) and
/// the solution is scaled back.
/// </summary>
public static class NonNegativeLeastSquares
{
    public static double[] Solve(double[][] a, double[] b, int maxIterations = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"A has {a.Length} rows but b has {b.Length}.", nameof(b));
        }

        var rows = a.Length;
        var columns = rows == 0 ? 0 : a[0].Length;
        if (a.Any(row => row.Length != columns))
        {
            throw new ArgumentException("every row of A must have the same length.", nameof(a));
        }

        // Unit-norm columns; an all-zero column keeps scale 1 and its coefficient stays 0.
        var scale = new double[columns];
        for (var j = 0; j < columns; j++)
        {
            var norm = Math.Sqrt(a.Sum(row => row[j] * row[j]));
            scale[j] = norm > 0 ? norm : 1;
        }

        var m = a.Select(row => row.Select((v, j) => v / scale[j]).ToArray()).ToArray();
        var x = new double[columns];
        var passive = new bool[columns];
        var limit = maxIterations > 0 ? maxIterations : 3 * columns + 30;
        const double tolerance = 1e-12;

        for (var iteration = 0; iteration < limit; iteration++)
        {
            var gradient = Gradient(m, b, x);
            var best = -1;
            for (var j = 0; j < columns; j++)
            {
                if (!passive[j] && gradient[j] > tolerance && (best < 0 || gradient[j] > gradient[best]))
                {
                    best = j;
                }
            }

            if (best < 0)
            {
                break;
            }

            passive[best] = true;
            while (true)
            {
                var s = SolvePassive(m, b, passive);
                if (Enumerable.Range(0, columns).All(j => !passive[j] || s[j] > tolerance))
                {
                    x = s;
                    break;
                }

                // Step from x towards s until the first passive coefficient reaches 0, and free it.
                var alpha = double.PositiveInfinity;
                for (var j = 0; j < columns; j++)
                {
                    if (passive[j] && s[j] <= tolerance)
                    {
                        alpha = Math.Min(alpha, x[j] / (x[j] - s[j]));
                    }
                }

                for (var j = 0; j < columns; j++)
                {
                    x[j] += alpha * (s[j] - x[j]);
                    if (passive[j] && x[j] <= tolerance)
                    {
                        passive[j] = false;
                        x[j] = 0;
                    }
                }
            }
        }

        return x.Select((v, j) => v / scale[j]).ToArray();
    }

    /// <summary>Aᵀ(b − A·x): positive entries are directions that lower the residual.</summary>
    private static double[] Gradient(double[][] a, double[] b, double[] x)
    {
        var columns = x.Length;
        var gradient = new double[columns];
        for (var i = 0; i < a.Length; i++)
        {
            var residual = b[i];
            for (var j = 0; j < columns; j++)
            {
                residual -= a[i][j] * x[j];
            }

            for (var j = 0; j < columns; j++)
            {
                gradient[j] += a[i][j] * residual;
            }
        }

        return gradient;
    }

    /// <summary>Unconstrained least squares on the passive columns (normal equations, Gaussian elimination with pivoting); others 0.</summary>
    private static double[] SolvePassive(double[][] a, double[] b, bool[] passive)
    {
        var index = Enumerable.Range(0, passive.Length).Where(j => passive[j]).ToArray();
        var n = index.Length;
        var system = new double[n, n + 1];
        for (var i = 0; i < a.Length; i++)
        {
            for (var p = 0; p < n; p++)
            {
                var ap = a[i][index[p]];
                for (var q = 0; q < n; q++)
                {
                    system[p, q] += ap * a[i][index[q]];
                }

                system[p, n] += ap * b[i];
            }
        }

        // A tiny ridge keeps nearly collinear columns (e.g. MACs and weight bytes of M = 1 Gemms) solvable.
        for (var p = 0; p < n; p++)
        {
            system[p, p] += 1e-10;
        }

        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(system[r, col]) > Math.Abs(system[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (var c = 0; c <= n; c++)
            {
                (system[col, c], system[pivot, c]) = (system[pivot, c], system[col, c]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col || system[col, col] == 0)
                {
                    continue;
                }

                var factor = system[r, col] / system[col, col];
                for (var c = col; c <= n; c++)
                {
                    system[r, c] -= factor * system[col, c];
                }
            }
        }

        var solution = new double[passive.Length];
        for (var p = 0; p < n; p++)
        {
            solution[index[p]] = system[p, p] == 0 ? 0 : system[p, n] / system[p, p];
        }

        return solution;
    }
}
