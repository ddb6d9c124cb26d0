namespace AdaDeep.Bench.Paper;

/// <summary>
/// The paper's Table 5 for [LeNet, MNIST] on a RedMi 3S: the best DNN of each optimizer against the DNN compressed
/// with W3 (accuracy loss in points, S_p, T and E reduction ×). Copied from the paper for comparison, not measured here.
/// </summary>
public static class PaperTable5
{
    public sealed record Row(string Optimizer, double AccuracyLossPercent, double StorageX, double LatencyX, double EnergyX);

    public static IReadOnlyList<Row> LeNet { get; } = new Row[]
    {
        new("exhaustive", 0.1, 23.9, 2.7, 1.1),
        new("greedy", 2.3, 4.6, 0.6, 2.7),
        new("dqn", 0.2, 28.5, 3.8, 2.8),
    };

    public static Row? Find(string optimizer) => LeNet.FirstOrDefault(r => r.Optimizer == optimizer);
}
