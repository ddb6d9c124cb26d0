using System.Globalization;
using AdaDeep.Devices.Costs;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Engine.Pipeline;

/// <summary>
/// No compressed model may run slower than its original in ONNX Runtime on this host. Before a model ships the
/// pipeline measures both (interleaved, twice each, the faster median of each kept so that a load spike on a shared
/// machine does not decide); a candidate that looks more than <see cref="Tolerance"/> slower is measured
/// <see cref="ConfirmRounds"/> more rounds in alternating order and judged on the medians of all rounds — two sessions
/// of the same file differ by 5–18 % on a loaded 2-core VM, and session 10's mobile suite lost int8 weights that ORT
/// folds into the very same float kernels to a 1.03–1.07× "slower" first look. A candidate still slower is refused and
/// the next variant is tried: without its deferred techniques (quantisation), then the original model itself.
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

    /// <summary>Rounds of each model measured again when the first look says "slower".</summary>
    public const int ConfirmRounds = 6;

    /// <summary>Latencies of the original and the candidate, measured interleaved (A B A B); the faster of each, or,
    /// when that says slower, the medians over those and <see cref="ConfirmRounds"/> more rounds (B A, A B, …).</summary>
    public static (double OriginalMs, double CandidateMs) Measure(ILatencyMeter meter, OnnxModel original, OnnxModel candidate)
    {
        var a = new List<double> { meter.MeasureMs(original) };
        var b = new List<double> { meter.MeasureMs(candidate) };
        a.Add(meter.MeasureMs(original));
        b.Add(meter.MeasureMs(candidate));
        if (!IsSlower(a.Min(), b.Min()))
        {
            return (a.Min(), b.Min());
        }

        for (var round = 0; round < ConfirmRounds; round++)
        {
            // The candidate first in every other round, so a drift of the machine's speed hits both alike.
            if (round % 2 == 0)
            {
                b.Add(meter.MeasureMs(candidate));
                a.Add(meter.MeasureMs(original));
            }
            else
            {
                a.Add(meter.MeasureMs(original));
                b.Add(meter.MeasureMs(candidate));
            }
        }

        return (OrtLatencyMeter.Median(a), OrtLatencyMeter.Median(b));
    }

    public static string Describe(double originalMs, double candidateMs) => string.Format(CultureInfo.InvariantCulture,
        "{0:0.####} ms → {1:0.####} ms ({2:0.##}× {3})", originalMs, candidateMs,
        candidateMs <= originalMs ? originalMs / candidateMs : candidateMs / originalMs, candidateMs <= originalMs ? "faster" : "slower");
}
