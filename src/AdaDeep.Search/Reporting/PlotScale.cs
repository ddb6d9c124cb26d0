namespace AdaDeep.Search.Reporting;

/// <summary>Which side of a plot's range a value lies on.</summary>
public enum RangeSide
{
    Below,
    Inside,
    Above,
}

/// <summary>
/// The axis limits of the candidate plot, taken from the points plotted alone (not from budget lines): a 10 ms budget
/// must not squeeze candidates at 0.3 ms into 5 % of the width (issue 24). A budget outside the limits is noted at
/// the edge instead of drawn (<see cref="Side"/>).
/// </summary>
public sealed record PlotScale(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>Fraction of the points' span added on each side, so that no marker sits on the frame.</summary>
    public const double Margin = 0.08;

    public static PlotScale Of(IEnumerable<(double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var list = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (list.Count == 0)
        {
            return new PlotScale(0, 1, 0, 1);
        }

        var (xMin, xMax) = Padded(list.Min(p => p.X), list.Max(p => p.X));
        var (yMin, yMax) = Padded(list.Min(p => p.Y), list.Max(p => p.Y));
        return new PlotScale(xMin, xMax, yMin, yMax);
    }

    public bool Contains(double x, double y) => x >= XMin && x <= XMax && y >= YMin && y <= YMax;

    public RangeSide SideOfX(double x) => Side(x, XMin, XMax);

    public RangeSide SideOfY(double y) => Side(y, YMin, YMax);

    private static RangeSide Side(double value, double min, double max) =>
        value < min ? RangeSide.Below : value > max ? RangeSide.Above : RangeSide.Inside;

    private static (double Min, double Max) Padded(double min, double max)
    {
        // A single point (or equal values) still gets a visible span around it.
        var span = max - min;
        var pad = span > 0 ? span * Margin : Math.Max(Math.Abs(min) * Margin, 1e-3);
        return (min - pad, max + pad);
    }
}
