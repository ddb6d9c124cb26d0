using System.Runtime.InteropServices;
using AdaDeep.Devices.Costs.Kernels;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Model;

namespace AdaDeep.Devices.Costs;

/// <summary>Roofline figures of this machine measured with ONNX Runtime, and how they were measured.</summary>
public sealed record HostCalibration(
    double PeakMacsPerSecond,
    double MemoryBandwidthBytesPerSecond,
    double PerLayerOverheadMs,
    double ConvEfficiency,
    int Threads,
    string Machine,
    OperatorCostTable? KernelCosts = null)
{
    /// <summary>A profile of this machine for the cost model (DRAM and L2 are given by the caller: ORT cannot measure them).</summary>
    public DeviceProfile ToProfile(string id, string name, double dramMB, double l2CacheMB) => ProfileValidator.Validate(new DeviceProfile
    {
        Id = id,
        Name = name,
        Type = "host",
        Processor = Machine,
        DramMB = dramMB,
        L2CacheMB = l2CacheMB,
        BatteryMAh = null,
        PeakMacsPerSecond = PeakMacsPerSecond,
        MemoryBandwidthBytesPerSecond = MemoryBandwidthBytesPerSecond,
        PerLayerOverheadMs = PerLayerOverheadMs,
        OperatorEfficiency = new Dictionary<string, double> { ["Conv"] = ConvEfficiency },
        KernelCosts = KernelCosts,
        MeasuresLatency = true,
        Source = $"measured by HostCalibrator with ONNX Runtime, {Threads} intra-op thread(s), on {Machine}",
    });
}

/// <summary>
/// Measures the three roofline figures of this machine with the same ONNX Runtime settings as <see cref="OrtLatencyMeter"/>,
/// on micro-models built in code, each chosen so that one figure dominates:
/// <list type="bullet">
/// <item>per-layer overhead: a chain of N Sigmoid nodes on a 1-element tensor against a chain of 1; (t_N − t_1)/(N − 1);</item>
/// <item>peak MACs/s: an n×n by n×n MatMul with a constant weight (n³ MACs, compute bound); n³ / (t − overhead);</item>
/// <item>memory bandwidth: Add of two large inputs (no arithmetic to speak of, three streams of 4-byte elements,
/// sized far beyond the last-level cache); 12·elements / (t − overhead).</item>
/// <item>Conv efficiency: a 3×3 convolution, 64 → 64 channels on 56×56 (115.6 M MACs), against the MatMul peak.</item>
/// </list>
/// With <c>kernels</c>, also the kernel table (<see cref="KernelCalibrator"/> on <see cref="KernelMicroModels"/>),
/// which the cost model prefers to the roofline for the kernel kinds it covers.
/// The figures are of the thread count given (1 by default, like the meter), not of the whole machine.
/// </summary>
public static class HostCalibrator
{
    private const int ConvChannels = 64;

    private const int ConvSize = 56;

    /// <param name="kernelRuns">Runs per kernel micro-model: these take microseconds, and at 41 runs the median of one
    /// model still moved by ±10 % between measurements; 401 runs (a few ms each) settle it.</param>
    public static HostCalibration Measure(int threads = 1, int matrixSize = 1024, int streamElements = 64 << 20, int chainLength = 200, int runs = 15,
        KernelSweep kernels = KernelSweep.None, int kernelRuns = 401)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(matrixSize, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(streamElements, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(chainLength, 2);

        var single = OrtLatencyMeter.MeasureMs(SigmoidChain(1), runs: runs, threads: threads);
        var chain = OrtLatencyMeter.MeasureMs(SigmoidChain(chainLength), runs: runs, threads: threads);
        var overheadMs = Math.Max((chain - single) / (chainLength - 1), 0);

        var matMulMs = OrtLatencyMeter.MeasureMs(MatMul(matrixSize), runs: runs, threads: threads);
        var macs = (double)matrixSize * matrixSize * matrixSize;
        var peak = macs / (Math.Max(matMulMs - overheadMs, 1e-6) / 1000);

        var convMs = OrtLatencyMeter.MeasureMs(Conv3x3(ConvChannels, ConvSize), runs: runs, threads: threads);
        var convMacs = (double)ConvChannels * ConvChannels * 9 * ConvSize * ConvSize;
        var convEfficiency = Math.Clamp(convMacs / (Math.Max(convMs - overheadMs, 1e-6) / 1000) / peak, 0.01, 1);

        var addMs = OrtLatencyMeter.MeasureMs(StreamAdd(streamElements), warmup: 2, runs: Math.Min(runs, 7), threads: threads);
        var bandwidth = 12.0 * streamElements / (Math.Max(addMs - overheadMs, 1e-6) / 1000);

        var table = kernels == KernelSweep.None
            ? null
            : KernelCalibrator.Fit(KernelCalibrator.Measure(KernelMicroModels.Sweep(quick: kernels == KernelSweep.Quick), threads, Math.Max(kernelRuns, 3)));
        return new HostCalibration(peak, bandwidth, overheadMs, convEfficiency, threads, DescribeMachine(), table);
    }

    public static byte[] SigmoidChain(int length)
    {
        var b = new GraphBuilder("sigmoid_chain").Input("x", 1, 1).Output("y", 1, 1);
        var value = "x";
        for (var i = 0; i < length; i++)
        {
            value = b.Node("Sigmoid", new[] { value }, output: i == length - 1 ? "y" : null);
        }

        return b.ToModel().ToBytes();
    }

    public static byte[] MatMul(int n)
    {
        var b = new GraphBuilder("matmul").Input("x", n, n).Output("y", n, n);
        var weights = new float[n * n];
        var random = new Random(7);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextDouble() - 0.5);
        }

        b.Node("MatMul", new[] { "x", b.Weight("w", new long[] { n, n }, weights) }, output: "y");
        return b.ToModel().ToBytes();
    }

    public static byte[] Conv3x3(int channels, int size)
    {
        var b = new GraphBuilder("conv").Input("x", 1, channels, size, size).Output("y", 1, channels, size, size);
        var weights = new float[channels * channels * 9];
        var random = new Random(11);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(random.NextDouble() - 0.5) * 0.1f;
        }

        var w = b.Weight("w", new long[] { channels, channels, 3, 3 }, weights);
        b.Node("Conv", new[] { "x", w }, output: "y", configure: n => n.SetInts("kernel_shape", new long[] { 3, 3 }).SetInts("pads", new long[] { 1, 1, 1, 1 }));
        return b.ToModel().ToBytes();
    }

    public static byte[] StreamAdd(int elements)
    {
        var b = new GraphBuilder("stream_add").Input("a", elements).Input("b", elements).Output("y", elements);
        b.Node("Add", new[] { "a", "b" }, output: "y");
        return b.ToModel().ToBytes();
    }

    private static string DescribeMachine()
    {
        var cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (model is not null)
                {
                    cpu = model[(model.IndexOf(':') + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // The description is informative only.
        }

        return $"{cpu}, {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}";
    }
}
