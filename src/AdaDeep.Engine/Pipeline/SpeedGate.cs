using System.Globalization;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// No compressed model may run slower than its original in ONNX Runtime on this host. Before a model ships the
/// pipeline measures both (interleaved, twice each, the faster median of each kept so that a load spike on a shared
/// machine does not decide); a candidate more than <see cref="Tolerance"/> slower is refused and the next variant
/// is tried: without its deferred techniques (quantisation), then the original model itself.
/// </summary>
public static class SpeedGate
{
    /// <summary>Slower by more than this fraction counts as slower (repeat medians on a quiet host differ by ≈ 1 %).</summary>
    public const double Tolerance = 0.03;

    /// <summary>The gate's verdicts, as CompressResult.SpeedGate names them.</summary>
    public const string Passed = SpeedGateVerdicts.Passed;
    public const string DroppedDeferred = SpeedGateVerdicts.DroppedDeferred;
    public const string ShippedOriginal = SpeedGateVerdicts.ShippedOriginal;
    public const string NotChecked = SpeedGateVerdicts.NotChecked;

    public static bool IsSlower(double originalMs, double candidateMs) => candidateMs > originalMs * (1 + Tolerance);

    /// <summary>Latencies of the original and the candidate, measured interleaved (A B A B); the faster of each.</summary>
    public static (double OriginalMs, double CandidateMs) Measure(ILatencyMeter meter, OnnxModel original, OnnxModel candidate)
    {
        var a1 = meter.MeasureMs(original);
        var b1 = meter.MeasureMs(candidate);
        var a2 = meter.MeasureMs(original);
        var b2 = meter.MeasureMs(candidate);
        return (Math.Min(a1, a2), Math.Min(b1, b2));
    }

    public static string Describe(double originalMs, double candidateMs) => string.Format(CultureInfo.InvariantCulture,
        "{0:0.####} ms → {1:0.####} ms ({2:0.##}× {3})", originalMs, candidateMs,
        candidateMs <= originalMs ? originalMs / candidateMs : candidateMs / originalMs, candidateMs <= originalMs ? "faster" : "slower");
}
