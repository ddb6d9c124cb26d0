using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Devices.Costs.Kernels;

/// <summary>One synthetic model of the calibration set: a short name saying what it holds, and the model.</summary>
public sealed record KernelMicroModel(string Name, OnnxModel Model);

/// <summary>
/// The synthetic micro-models <see cref="KernelCalibrator"/> times: single kernels, and the short chains ONNX Runtime
/// fuses (Conv + bias Add + Relu, MatMul + Add), swept over the sizes and shapes of the operator kinds that the
/// compression techniques emit (dense, grouped and depthwise Conv of 1×1 to 5×5 kernels, Gemm/MatMul from a few
/// dozen to a few million weights, pooling, element-wise ops, DequantizeLinear of int8 weights, QuantizeLinear +
/// DequantizeLinear pairs on activations). Built in code from a fixed seed: never a real model, so that the models the
/// latency benchmark evaluates stay a held-out test set.
/// </summary>
public static class KernelMicroModels
{
    /// <summary>The full sweep (about 200 models). <paramref name="quick"/> takes every third, for tests and smoke runs.</summary>
    public static IReadOnlyList<KernelMicroModel> Sweep(bool quick = false)
    {
        var all = new List<KernelMicroModel>();
        all.AddRange(Overheads());
        all.AddRange(Convolutions());
        all.AddRange(FullyConnected());
        all.AddRange(Pooling());
        all.AddRange(ElementWise());
        all.AddRange(Quantization());
        all.AddRange(Networks());
        return quick ? all.Where((_, i) => i % 3 == 0).ToList() : all;
    }

    /// <summary>
    /// Small random CNNs (conv → pool → conv → pool → fc → fc, random channel counts, kernels and widths): kernels in
    /// the context of a network, where ORT keeps its NCHWc layout across a conv → pool → conv chain and caches are warm,
    /// which single-kernel models do not show. Random shapes from a fixed seed, not any real model's.
    /// </summary>
    public static IEnumerable<KernelMicroModel> Networks()
    {
        var random = new Random(43);
        int[] first = { 4, 6, 8, 12, 16, 32 };
        int[] second = { 8, 12, 16, 24, 32, 64 };
        int[] hidden = { 16, 32, 64, 84, 120, 256 };
        for (var n = 0; n < 24; n++)
        {
            var cin = random.Next(3) == 0 ? 3 : 1;
            var size = cin == 3 ? 32 : 28;
            var c1 = first[random.Next(first.Length)];
            var c2 = second[random.Next(second.Length)];
            var k1 = random.Next(2) == 0 ? 3 : 5;
            var k2 = random.Next(2) == 0 ? 3 : 5;
            var h = hidden[random.Next(hidden.Length)];
            var separateBias = random.Next(2) == 0; // bias as an Add after the Conv (older exporters) or as its third input
            var b = new Builder("net", 1, cin, size, size);
            var x = b.Input;
            var s = size;
            foreach (var (inputs, outputs, k) in new[] { (cin, c1, k1), (c1, c2, k2) })
            {
                (x, s) = b.Conv(x, inputs, outputs, k, s, 1, 1, bias: !separateBias);
                if (separateBias)
                {
                    x = b.G.Node("Add", new[] { x, b.Random(new long[] { outputs, 1, 1 }) });
                }

                x = b.G.Node("Relu", new[] { x });
                x = b.G.Node("MaxPool", new[] { x }, configure: node => node.SetInts("kernel_shape", new long[] { 2, 2 }).SetInts("strides", new long[] { 2, 2 }));
                s /= 2;
            }

            x = b.G.Node("Flatten", new[] { x });
            var features = c2 * s * s;
            x = b.G.Node("Gemm", new[] { x, b.Random(new long[] { h, features }), b.Random(new long[] { h }) }, configure: node => node.SetInt("transB", 1));
            x = b.G.Node("Relu", new[] { x });
            x = b.G.Node("Gemm", new[] { x, b.Random(new long[] { 10, h }), b.Random(new long[] { 10 }) }, configure: node => node.SetInt("transB", 1));
            yield return new($"net {cin}x{size}x{size} conv{k1} {c1} conv{k2} {c2} fc {features}->{h}->10{(separateBias ? " add-bias" : "")}", b.Finish(x, 1, 10));
        }
    }

    /// <summary>Chains of 1, 2, 5, 10 and 40 Relu on one element: the per-inference cost and the per-node dispatch cost.</summary>
    public static IEnumerable<KernelMicroModel> Overheads()
    {
        foreach (var length in new[] { 1, 2, 5, 10, 40 })
        {
            var b = new Builder("relu_chain", 1);
            var x = b.Input;
            for (var i = 0; i < length; i++)
            {
                x = b.G.Node("Relu", new[] { x });
            }

            yield return new($"relu-chain x{length}", b.Finish(x, 1));
        }
    }

    public static IEnumerable<KernelMicroModel> Convolutions()
    {
        var random = new Random(31);
        // (cin, cout, kernel, size, stride, group) — hand-picked corners, then random shapes of the same families.
        var shapes = new List<(int Cin, int Cout, int K, int Size, int Stride, int Group)>
        {
            (1, 8, 5, 28, 1, 1), (8, 16, 5, 14, 1, 1), (3, 32, 3, 32, 1, 1), (32, 32, 3, 16, 1, 1), (64, 64, 3, 8, 1, 1),
            (16, 16, 1, 14, 1, 1), (32, 8, 1, 16, 1, 1), (8, 8, 3, 14, 1, 8), (32, 32, 3, 16, 1, 32), (6, 16, 5, 14, 1, 1),
            (1, 6, 5, 28, 1, 1), (64, 16, 1, 8, 1, 1), (16, 64, 3, 8, 1, 1), (3, 16, 3, 32, 2, 1), (32, 32, 3, 16, 1, 4),
        };
        int[] channels = { 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64 };
        int[] kernels = { 1, 1, 3, 3, 5 };
        int[] sizes = { 4, 7, 8, 10, 14, 16, 28, 32 };
        while (shapes.Count < 70)
        {
            var cin = channels[random.Next(channels.Length)];
            var cout = channels[random.Next(1, channels.Length)];
            var k = kernels[random.Next(kernels.Length)];
            var size = sizes[random.Next(sizes.Length)];
            var group = random.Next(5) == 0 ? cin : 1; // a fifth depthwise (multiplier cout / cin)
            if (group > 1)
            {
                cout = cin * (1 + random.Next(2));
            }

            if ((long)cin / group * cout * k * k * size * size > 40_000_000 || size < k)
            {
                continue;
            }

            shapes.Add((cin, cout, k, size, 1, group));
        }

        for (var i = 0; i < shapes.Count; i++)
        {
            var (cin, cout, k, size, stride, group) = shapes[i];
            // Every other shape with the bias Add + Relu that ORT fuses into the Conv, as real models are written.
            var fused = i % 2 == 1;
            var b = new Builder("conv", 1, cin, size, size);
            var (y, outSize) = b.Conv(b.Input, cin, cout, k, size, stride, group, bias: !fused);
            if (fused)
            {
                y = b.G.Node("Add", new[] { y, b.Random(new long[] { cout, 1, 1 }) });
                y = b.G.Node("Relu", new[] { y });
            }

            yield return new($"conv {cin}->{cout} k{k} {size}x{size} s{stride} g{group}{(fused ? " +add+relu" : "")}",
                b.Finish(y, 1, cout, outSize, outSize));
        }
    }

    public static IEnumerable<KernelMicroModel> FullyConnected()
    {
        (int In, int Out)[] shapes =
        {
            (16, 10), (64, 10), (84, 10), (120, 84), (256, 10), (256, 64), (400, 120), (500, 10), (512, 512), (800, 500),
            (1024, 10), (1024, 256), (2048, 64), (1600, 384), (3136, 128), (4096, 100), (1024, 1024), (2304, 512), (64, 16), (32, 32),
        };
        for (var i = 0; i < shapes.Length; i++)
        {
            var (inputs, outputs) = shapes[i];
            var b = new Builder("fc", 1, inputs);
            string y;
            switch (i % 3)
            {
                case 0: // Gemm with bias
                    y = b.G.Node("Gemm", new[] { b.Input, b.Random(new long[] { outputs, inputs }), b.Random(new long[] { outputs }) },
                        configure: n => n.SetInt("transB", 1));
                    break;
                case 1: // MatMul + Add, which ORT fuses into Gemm
                    y = b.G.Node("MatMul", new[] { b.Input, b.Random(new long[] { inputs, outputs }) });
                    y = b.G.Node("Add", new[] { y, b.Random(new long[] { outputs }) });
                    break;
                default: // Gemm followed by Relu, which ORT fuses
                    y = b.G.Node("Gemm", new[] { b.Input, b.Random(new long[] { outputs, inputs }), b.Random(new long[] { outputs }) },
                        configure: n => n.SetInt("transB", 1));
                    y = b.G.Node("Relu", new[] { y });
                    break;
            }

            yield return new($"fc {inputs}->{outputs} {(i % 3) switch { 0 => "gemm", 1 => "matmul+add", _ => "gemm+relu" }}", b.Finish(y, 1, outputs));
        }
    }

    public static IEnumerable<KernelMicroModel> Pooling()
    {
        (int C, int Size, int K, int Stride)[] shapes =
        {
            (8, 28, 2, 2), (16, 14, 3, 3), (6, 28, 2, 2), (32, 32, 2, 2), (64, 16, 2, 2), (16, 10, 2, 2), (32, 8, 3, 2), (4, 32, 2, 2),
        };
        foreach (var (op, i) in new[] { "MaxPool", "AveragePool", "GlobalAveragePool" }.SelectMany(op => Enumerable.Range(0, shapes.Length).Select(i => (op, i))))
        {
            var (c, size, k, stride) = shapes[i];
            var b = new Builder("pool", 1, c, size, size);
            if (op == "GlobalAveragePool")
            {
                yield return new($"{op} {c}x{size}x{size}", b.Finish(b.G.Node(op, new[] { b.Input }), 1, c, 1, 1));
                continue;
            }

            var outSize = (size - k) / stride + 1;
            var y = b.G.Node(op, new[] { b.Input }, configure: n => n.SetInts("kernel_shape", new long[] { k, k }).SetInts("strides", new long[] { stride, stride }));
            yield return new($"{op} {c}x{size}x{size} k{k} s{stride}", b.Finish(y, 1, c, outSize, outSize));
        }
    }

    public static IEnumerable<KernelMicroModel> ElementWise()
    {
        int[] sizes = { 64, 784, 2048, 6272, 16384, 50176, 131072 };
        foreach (var op in new[] { "Relu", "Add", "Mul", "Sigmoid", "Tanh", "Concat", "BatchNormalization" })
        {
            foreach (var elements in sizes)
            {
                const int channels = 16;
                var plane = elements / channels;
                var b = new Builder("eltwise", 1, channels, plane);
                string y;
                long[] shape = { 1, channels, plane };
                switch (op)
                {
                    case "Add" or "Mul": // two activations, as a residual or a Fire expand would
                        var other = b.G.Node("Relu", new[] { b.Input });
                        y = b.G.Node(op, new[] { b.Input, other });
                        break;
                    case "Concat":
                        var left = b.G.Node("Relu", new[] { b.Input });
                        y = b.G.Node(op, new[] { b.Input, left }, configure: n => n.SetInt("axis", 1));
                        shape = new long[] { 1, 2 * channels, plane };
                        break;
                    case "BatchNormalization":
                        y = b.G.Node(op, new[] { b.Input, b.Ones(channels), b.Random(new long[] { channels }), b.Random(new long[] { channels }), b.Ones(channels) });
                        break;
                    default:
                        y = b.G.Node(op, new[] { b.Input });
                        break;
                }

                yield return new($"{op} {elements}", b.Finish(y, shape));
            }
        }
    }

    /// <summary>
    /// DequantizeLinear of an int8 weight feeding a Conv or a MatMul (what Q8W emits; ORT keeps it and runs it every
    /// inference), and QuantizeLinear + DequantizeLinear on the activation in front of it (what Q8 adds).
    /// </summary>
    public static IEnumerable<KernelMicroModel> Quantization()
    {
        (int In, int Out)[] fc = { (256, 10), (400, 120), (800, 500), (1024, 256), (84, 10), (3136, 128), (2048, 64), (120, 84), (512, 512), (1600, 100), (256, 64), (500, 10) };
        (int Cin, int Cout, int K, int Size)[] conv = { (1, 8, 5, 28), (8, 16, 5, 14), (32, 32, 3, 16), (3, 32, 3, 32), (16, 64, 3, 8), (6, 16, 5, 10), (64, 64, 3, 8), (1, 6, 5, 28) };
        for (var i = 0; i < fc.Length + conv.Length; i++)
        {
            foreach (var activations in new[] { false, true })
            {
                var perChannel = i % 2 == 0;
                if (i < fc.Length)
                {
                    // MatMul [in, out] (per-channel scales on its last axis) or Gemm with transB [out, in] (on its first).
                    var (inputs, outputs) = fc[i];
                    var gemm = i % 4 >= 2;
                    var b = new Builder("q_fc", 1, inputs);
                    var x = activations ? b.QuantizeDequantize(b.Input) : b.Input;
                    string y;
                    if (gemm)
                    {
                        var w = b.Int8Weight(new long[] { outputs, inputs }, perChannel ? 0 : -1);
                        y = b.G.Node("Gemm", new[] { x, w, b.Random(new long[] { outputs }) }, configure: n => n.SetInt("transB", 1));
                    }
                    else
                    {
                        var w = b.Int8Weight(new long[] { inputs, outputs }, perChannel ? 1 : -1);
                        y = b.G.Node("MatMul", new[] { x, w });
                        // A [1, out] bias (as older exporters write it) keeps ORT from fusing into MatMulNBits.
                        y = b.G.Node("Add", new[] { y, b.Random(i % 4 == 1 ? new long[] { 1, outputs } : new long[] { outputs }) });
                    }

                    yield return new($"{(activations ? "qdq+" : "")}dq-weight {(gemm ? "gemm" : i % 4 == 1 ? "matmul+2d-bias" : "matmul")} {inputs}->{outputs}{(perChannel ? " per-channel" : "")}", b.Finish(y, 1, outputs));
                }
                else
                {
                    var (cin, cout, k, size) = conv[i - fc.Length];
                    var b = new Builder("q_conv", 1, cin, size, size);
                    var x = activations ? b.QuantizeDequantize(b.Input) : b.Input;
                    var w = b.Int8Weight(new long[] { cout, cin, k, k }, perChannel ? 0 : -1);
                    var y = b.G.Node("Conv", new[] { x, w, b.Random(new long[] { cout }) }, configure: n => n.SetInts("kernel_shape", new long[] { k, k }));
                    y = b.G.Node("Relu", new[] { y });
                    var outSize = size - k + 1;
                    yield return new($"{(activations ? "qdq+" : "")}dq-weight conv {cin}->{cout} k{k} {size}x{size}{(perChannel ? " per-channel" : "")}",
                        b.Finish(y, 1, cout, outSize, outSize));
                }
            }
        }
    }

    /// <summary>A <see cref="GraphBuilder"/> with one float input and seeded random weights.</summary>
    private sealed class Builder
    {
        private readonly Random _random = new(5);
        private int _weights;

        public Builder(string name, params long[] inputShape)
        {
            G = new GraphBuilder(name);
            G.Input("x", inputShape.Select(d => (long?)d).ToArray());
            Input = "x";
        }

        public GraphBuilder G { get; }

        public string Input { get; }

        public string Random(long[] dims)
        {
            var values = new float[dims.Aggregate(1L, (a, d) => a * d)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)(_random.NextDouble() - 0.5) * 0.2f;
            }

            return G.Weight($"w{_weights++}", dims, values);
        }

        public string Ones(int count) => G.Weight($"w{_weights++}", new long[] { count }, Enumerable.Repeat(1f, count).ToArray());

        public (string Output, int Size) Conv(string x, int cin, int cout, int k, int size, int stride, int group, bool bias)
        {
            var pad = k / 2;
            var inputs = new List<string> { x, Random(new long[] { cout, cin / group, k, k }) };
            if (bias)
            {
                inputs.Add(Random(new long[] { cout }));
            }

            var y = G.Node("Conv", inputs.ToArray(), configure: n => n
                .SetInts("kernel_shape", new long[] { k, k }).SetInts("pads", new long[] { pad, pad, pad, pad })
                .SetInts("strides", new long[] { stride, stride }).SetInt("group", group));
            return (y, (size + 2 * pad - k) / stride + 1);
        }

        /// <summary>An int8 weight (per-tensor when <paramref name="axis"/> is -1, else per channel on that axis) and its DequantizeLinear.</summary>
        public string Int8Weight(long[] dims, int axis)
        {
            var count = dims.Aggregate(1L, (a, d) => a * d);
            var raw = new byte[count];
            _random.NextBytes(raw);
            var q = G.Graph.Initializer.Count;
            G.Graph.Initializer.Add(TensorData.FromBytes($"q{q}", TensorData.Int8, dims, raw));
            var scaleDims = axis < 0 ? Array.Empty<long>() : new[] { dims[axis] };
            var channels = (int)(axis < 0 ? 1 : dims[axis]);
            var scale = G.Weight($"s{q}", scaleDims, Enumerable.Repeat(0.01f, channels).ToArray());
            G.Graph.Initializer.Add(TensorData.FromBytes($"z{q}", TensorData.Int8, scaleDims, new byte[channels]));
            return G.Node("DequantizeLinear", new[] { $"q{q}", scale, $"z{q}" }, configure: n =>
            {
                if (axis >= 0)
                {
                    n.SetInt("axis", axis);
                }
            });
        }

        /// <summary>QuantizeLinear → DequantizeLinear (uint8, asymmetric) on an activation.</summary>
        public string QuantizeDequantize(string x)
        {
            var q = G.Graph.Initializer.Count;
            var scale = G.Weight($"as{q}", Array.Empty<long>(), new[] { 1f / 255 });
            G.Graph.Initializer.Add(TensorData.FromBytes($"az{q}", TensorData.UInt8, Array.Empty<long>(), new byte[] { 0 }));
            var quantized = G.Node("QuantizeLinear", new[] { x, scale, $"az{q}" });
            return G.Node("DequantizeLinear", new[] { quantized, scale, $"az{q}" });
        }

        public OnnxModel Finish(string output, params long[] shape)
        {
            var last = G.Graph.Node[^1];
            last.Output[0] = "y";
            G.Output("y", shape.Select(d => (long?)d).ToArray());
            return G.ToModel();
        }
    }
}
