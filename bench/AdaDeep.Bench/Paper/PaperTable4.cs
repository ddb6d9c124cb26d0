namespace AdaDeep.Bench.Paper;

/// <summary>
/// The paper's Table 4 (AdaDeep, MobiSys 2018, section 5.2.3): AlexNet on CIFAR-10 on a RedMi 3S, two techniques
/// combined (conv2 technique + fc1/fc2 technique), measured A (%), S_p (MB), T (ms), E (mJ); and the W3-only
/// reference from the text (79.9 %, 6.09 MB, 189 ms, 30.72 mJ). Copied from the paper for comparison, not measured here.
/// </summary>
public static class PaperTable4
{
    public sealed record Row(string Conv, string Fc, double AccuracyPercent, double StorageMB, double LatencyMs, double EnergyMJ);

    public static readonly Row W3Only = new("", "W3", 79.9, 6.09, 189, 30.72);

    public static IReadOnlyList<Row> Rows { get; } = new Row[]
    {
        new("C1", "W1f", 74.2, 15.3, 180, 62.8), new("C1", "W2", 75.1, 12.3, 189, 65.2),
        new("C1", "W3", 77.6, 23.2, 132, 63.48), new("C1", "L3", 75.4, 0.68, 102, 52.9),
        new("C2", "W1f", 72.4, 15.3, 129, 33.1), new("C2", "W2", 71.8, 14.9, 130, 31.3),
        new("C2", "W3", 81.8, 2.9, 124, 14.8), new("C2", "L3", 81.5, 0.7, 98, 16.9),
        new("C3", "W1f", 59.3, 16.7, 236, 43.4), new("C3", "W2", 57.5, 15.7, 210, 42.7),
        new("C3", "W3", 53.2, 3.2, 60, 21.7), new("C3", "L3", 77.3, 1.4, 84, 26.8),
        new("L1", "W1f", 79.8, 16.2, 194, 33.7), new("L1", "W2", 78.1, 15.3, 189, 34.4),
        new("L1", "W3", 84.8, 1.1, 86, 13.9), new("L1", "L3", 87.1, 1.6, 257, 78.2),
        new("L2", "W1f", 86.4, 17.4, 305, 108.4), new("L2", "W2", 86.9, 17.1, 312, 100.1),
        new("L2", "W3", 88.7, 10.6, 266, 51.6), new("L2", "L3", 87.1, 1.8, 126, 113.4),
        new("W1c", "W1f", 78.4, 16.1, 139, 36.1), new("W1c", "W2", 79.2, 16.4, 147, 39.3),
        new("W1c", "W3", 61.2, 2.7, 143, 20.8), new("W1c", "L3", 56.2, 1.2, 27, 22.9),
    };

    public static Row Find(string conv, string fc) => Rows.Single(r => r.Conv == conv && r.Fc == fc);
}
