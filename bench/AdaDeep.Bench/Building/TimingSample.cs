namespace AdaDeep.Bench.Building;

/// <summary>Repeated wall times of one kind of build: median and minimum (the least disturbed run on a shared machine).</summary>
public sealed record TimingSample(IReadOnlyList<double> Seconds)
{
    public double Median
    {
        get
        {
            var sorted = Seconds.Order().ToArray();
            if (sorted.Length == 0)
            {
                return double.NaN;
            }

            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double Min => Seconds.Count == 0 ? double.NaN : Seconds.Min();

    public double Max => Seconds.Count == 0 ? double.NaN : Seconds.Max();
}
