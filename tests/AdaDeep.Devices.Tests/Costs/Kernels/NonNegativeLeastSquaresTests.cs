using AdaDeep.Devices.Costs.Kernels;

namespace AdaDeep.Devices.Tests.Costs.Kernels;

public class NonNegativeLeastSquaresTests
{
    [Fact]
    public void Recovers_non_negative_coefficients_of_exact_data_over_very_different_scales()
    {
        // t = 2 + 3e-6·macs + 0.5·bytes: columns differ by six orders of magnitude, as a real fit's do.
        var random = new Random(1);
        var rows = Enumerable.Range(0, 30).Select(_ => new[] { 1.0, random.Next(1_000, 10_000_000), random.Next(10, 5_000) }).ToArray();
        var b = rows.Select(r => 2 + 3e-6 * r[1] + 0.5 * r[2]).ToArray();

        var x = NonNegativeLeastSquares.Solve(rows, b);

        Assert.Equal(2, x[0], 4);
        Assert.Equal(3e-6, x[1], 10);
        Assert.Equal(0.5, x[2], 6);
    }

    [Fact]
    public void A_coefficient_the_unconstrained_fit_makes_negative_is_held_at_zero()
    {
        // Unconstrained least squares gives y = 1 + 1·x1 − 1·x2 exactly; NNLS must keep x2's weight at 0 and refit the rest.
        double[][] a = { new[] { 1.0, 0, 0 }, new[] { 1.0, 1, 0 }, new[] { 1.0, 0, 1 }, new[] { 1.0, 1, 1 } };
        double[] b = { 1, 2, 0, 1 };

        var x = NonNegativeLeastSquares.Solve(a, b);

        Assert.Equal(0, x[2]);
        Assert.All(x, v => Assert.True(v >= 0));
        // With x2 = 0 the best fit of (1, 2, 0, 1) on (1, x1) is 0.5 + 1·x1.
        Assert.Equal(0.5, x[0], 9);
        Assert.Equal(1, x[1], 9);
    }

    [Fact]
    public void An_all_zero_column_gets_a_zero_coefficient()
    {
        double[][] a = { new[] { 1.0, 0 }, new[] { 2.0, 0 }, new[] { 3.0, 0 } };

        var x = NonNegativeLeastSquares.Solve(a, new[] { 2.0, 4, 6 });

        Assert.Equal(2, x[0], 9);
        Assert.Equal(0, x[1]);
    }

    [Fact]
    public void Rows_and_targets_of_different_lengths_are_rejected() =>
        Assert.Throws<ArgumentException>(() => NonNegativeLeastSquares.Solve(new[] { new[] { 1.0 } }, new[] { 1.0, 2 }));
}
