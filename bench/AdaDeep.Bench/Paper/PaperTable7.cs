namespace AdaDeep.Bench.Paper;

/// <summary>
/// The paper's Table 7 (AdaDeep, MobiSys 2018, section 5.3.3): LeNet on UbiSound on the twelve Table-3 devices, the
/// chosen combination and its reductions against the initial DNN (S_p, C, T, E as ×) and accuracy loss (%). Copied
/// from the paper for comparison, not measured here.
/// </summary>
public static class PaperTable7
{
    public sealed record Row(int Device, string DeviceId, string Techniques, double StorageX, double MacsX, double LatencyX, double EnergyX, double AccuracyLossPercent);

    public static IReadOnlyList<Row> Rows { get; } = new Row[]
    {
        new(1, "xiaomi-redmi-3s", "C1+W3", 12.1, 2.1, 1.6, 1.1, 0.9),
        new(2, "xiaomi-mi-5s", "C2+L3", 27.1, 3.6, 2.1, 1.2, 1.8),
        new(3, "xiaomi-mi6", "C2+W3", 13.1, 5.6, 1.9, 1.6, 1.1),
        new(4, "huawei-pra-al00", "C2+W3", 12.7, 6.8, 1.4, 1.8, 1.2),
        new(5, "samsung-note5", "C2+W3", 12.8, 4.1, 1.6, 1.8, 1.2),
        new(6, "huawei-p9", "C1+W3", 13.0, 1.6, 1.6, 1.7, 0.9),
        new(7, "sony-sw3", "C2+W2", 6.4, 2.1, 1.5, 9.8, 1.6),
        new(8, "huawei-watch-h2p", "L2+L3", 27.8, 3.6, 3.1, 8.3, 2.1),
        new(9, "firefly-rk3399", "L1+W3", 13.2, 5.6, 2.6, 1.2, 1.8),
        new(10, "firefly-rk3288", "C2+W1f", 3.4, 4.8, 1.1, 1.3, 0.7),
        new(11, "xiaomi-box-3s", "C3+W3", 14.1, 4.1, 1.4, 1.1, 1.2),
        new(12, "huawei-box", "L1+L3", 28.1, 1.6, 2.8, 1.2, 1.9),
    };
}
