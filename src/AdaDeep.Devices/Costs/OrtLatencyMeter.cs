using System.Diagnostics;
using AdaDeep.Onnx.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AdaDeep.Devices.Costs;

/// <summary>
/// Measures a model's inference latency on this machine with ONNX Runtime (CPU): the median wall time of
/// <c>runs</c> inferences after <c>warmup</c> untimed ones, on the given input values (<c>feeds</c>, by input name:
/// the real data and shapes of the run) and, for inputs without one, on inputs shaped from the model's inputs (symbolic
/// or unknown dimensions become 1: pin real shapes into the model first) and filled from a fixed seed. The session is configured so that runs are comparable:
/// sequential execution, the given number of intra-op threads, one inter-op thread, all graph optimisations (what a
/// deployed app gets by default).
/// <para>
/// <c>warmup</c> and <c>runs</c> are minimums: a model that runs in microseconds keeps warming up until
/// <see cref="MinWarmupMs"/> have passed (at most <see cref="MaxWarmups"/>) and keeps being timed until
/// <see cref="MinTimedMs"/> of inferences are in the median (at most <see cref="MaxRuns"/>). With 41 runs, ≈ 1 ms of
/// timing, the same 0.025 ms model measured 5–18 % apart between sessions; with 401 after 50 warm-ups, within 0.4 %
/// (docs/benchmarks.md, latency-model). A model of milliseconds runs exactly <c>warmup</c> + <c>runs</c> times.
/// </para>
/// </summary>
public static class OrtLatencyMeter
{
    public const int InputSeed = 20_190_801;

    public const double MinWarmupMs = 2.5;

    public const int MaxWarmups = 50;

    public const double MinTimedMs = 10;

    public const int MaxRuns = 401;

    public static double MeasureMs(byte[] modelBytes, int warmup = 3, int runs = 15, int threads = 1,
        IReadOnlyDictionary<string, InputTensor>? feeds = null)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);

        using var options = CreateOptions(threads);
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelBytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdaDeepException(ErrorCodes.ModelRuntimeRefused, $"ONNX Runtime cannot load the model to measure its latency: {e.Message}", inner: e);
        }

        using (session)
        {
            var random = new Random(InputSeed);
            var names = new List<string>();
            var inputs = new List<OrtValue>();
            try
            {
                foreach (var (name, metadata) in session.InputMetadata)
                {
                    names.Add(name);
                    inputs.Add(feeds?.GetValueOrDefault(name) is { } feed
                        ? OrtTensors.Create(name, metadata.ElementDataType, feed.Values, feed.Shape)
                        : CreateInput(name, metadata, random));
                }

                var outputs = session.OutputMetadata.Keys.ToList();
                using var runOptions = new RunOptions();
                double Once()
                {
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        using (session.Run(runOptions, names, inputs, outputs))
                        {
                            clock.Stop();
                        }
                    }
                    catch (OnnxRuntimeException e)
                    {
                        // The inputs are not ones this model can run on (a guessed shape, a zero index): a coded error
                        // that callers turn into a warning, never an internal error.
                        throw new AdaDeepException(ErrorCodes.ModelRunFailed,
                            $"ONNX Runtime cannot run the model on inputs {Describe(names, inputs)}: {e.Message}", inner: e);
                    }

                    return clock.Elapsed.TotalMilliseconds;
                }

                var warmedMs = 0.0;
                for (var i = 0; NeedsMore(i, warmedMs, warmup, MinWarmupMs, MaxWarmups); i++)
                {
                    warmedMs += Once();
                }

                var times = new List<double>(runs);
                var timedMs = 0.0;
                while (NeedsMore(times.Count, timedMs, runs, MinTimedMs, MaxRuns))
                {
                    times.Add(Once());
                    timedMs += times[^1];
                }

                return Median(times.ToArray());
            }
            finally
            {
                foreach (var input in inputs)
                {
                    input.Dispose();
                }
            }
        }
    }

    /// <summary>Untimed A B rounds before <see cref="CompareMs"/> records any.</summary>
    public const int WarmupRounds = 3;

    /// <summary>
    /// Two models' latencies measured against each other: <paramref name="rounds"/> rounds in the order A B B A (so a
    /// drift of the machine's speed during the measurement hits both alike), each round a fresh session of each
    /// (<see cref="MeasureMs"/>), and the median of each model's round medians. One session per model measured the same
    /// file 5–18 % apart between sessions on this 2-core VM; a comparison of two single sessions inherits that noise.
    /// </summary>
    public static (double FirstMs, double SecondMs) CompareMs(byte[] first, byte[] second, int rounds = 8, int warmup = 10, int runs = 101,
        int threads = 1, IReadOnlyDictionary<string, InputTensor>? feeds = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var a = new List<double>(rounds);
        var b = new List<double>(rounds);

        // Untimed rounds first: a fresh process runs its first sessions several % slower (LeNet-5: 0.106–0.112 ms
        // in the first 6 rounds, 0.103 after), which with 8 rounds decided which model looked slower.
        for (var round = 0; round < WarmupRounds; round++)
        {
            MeasureMs(first, warmup, runs, threads, feeds);
            MeasureMs(second, warmup, runs, threads, feeds);
        }

        for (var round = 0; round < rounds; round++)
        {
            // A B, then B A: the order alternates so neither model is always measured first.
            if (round % 2 == 0)
            {
                a.Add(MeasureMs(first, warmup, runs, threads, feeds));
                b.Add(MeasureMs(second, warmup, runs, threads, feeds));
            }
            else
            {
                b.Add(MeasureMs(second, warmup, runs, threads, feeds));
                a.Add(MeasureMs(first, warmup, runs, threads, feeds));
            }
        }

        return (Median(a), Median(b));
    }

    /// <summary>Whether one more inference is due: fewer than <paramref name="minimum"/> so far, or fewer than
    /// <paramref name="maximum"/> and less than <paramref name="minimumMs"/> of time spent.</summary>
    internal static bool NeedsMore(int done, double spentMs, int minimum, double minimumMs, int maximum) =>
        done < minimum || (done < maximum && spentMs < minimumMs);

    /// <summary>The session options the meter uses (exposed so that calibration measures under the same settings).</summary>
    public static SessionOptions CreateOptions(int threads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        return options;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static OrtValue CreateInput(string name, NodeMetadata metadata, Random random)
    {
        if (!metadata.IsTensor)
        {
            throw new AdaDeepException(ErrorCodes.ModelUnsupportedTensor,
                $"input '{name}' is a {metadata.OnnxValueType}, not a tensor; the latency meter feeds tensors only.");
        }

        var shape = metadata.Dimensions.Select(d => d > 0 ? (long)d : 1L).ToArray();
        var count = checked((int)shape.Aggregate(1L, (a, b) => a * b));

        // Floats are uniform in [0, 1); integers are zero so that index inputs (Gather, embeddings) stay in range.
        return metadata.ElementDataType switch
        {
            TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (float)random.NextDouble()), shape),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Fill(count, random.NextDouble), shape),
            TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(Fill(count, () => (Float16)(float)random.NextDouble()), shape),
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(new long[count], shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(new int[count], shape),
            TensorElementType.Int16 => OrtValue.CreateTensorValueFromMemory(new short[count], shape),
            TensorElementType.Int8 => OrtValue.CreateTensorValueFromMemory(new sbyte[count], shape),
            TensorElementType.UInt8 => OrtValue.CreateTensorValueFromMemory(new byte[count], shape),
            TensorElementType.Bool => OrtValue.CreateTensorValueFromMemory(new bool[count], shape),
            var other => throw new AdaDeepException(ErrorCodes.ModelUnsupportedTensor,
                $"input '{name}' has element type {other}; the latency meter supports float, double, float16, int8/16/32/64, uint8 and bool."),
        };
    }

    private static string Describe(IReadOnlyList<string> names, IReadOnlyList<OrtValue> inputs) =>
        string.Join(", ", names.Select((n, i) => $"{n} [{string.Join(",", inputs[i].GetTensorTypeAndShape().Shape)}]"));

    private static T[] Fill<T>(int count, Func<T> next)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = next();
        }

        return values;
    }
}
