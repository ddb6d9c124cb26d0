using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>Builders and checks shared by the tests of P1 on channel groups (residual adds, concats, depthwise convs).</summary>
internal static class ChannelGroupTestKit
{
    /// <summary>Adds a k×k conv (same padding; group = cin = cout when depthwise) with deterministic weights and a bias.</summary>
    public static string Conv(GraphBuilder b, string name, string input, int cin, int cout, int k, int seed, bool depthwise = false, int stride = 1)
    {
        var perGroup = depthwise ? 1 : cin;
        var w = b.Weight(name + ".weight", new long[] { cout, perGroup, k, k }, TinyModels.Weights(cout * perGroup * k * k, seed));
        var bias = b.Weight(name + ".bias", new long[] { cout }, TinyModels.Weights(cout, seed + 1000));
        return b.Node("Conv", new[] { input, w, bias }, name: name, configure: n =>
        {
            n.SetInts("kernel_shape", new long[] { k, k }).SetInts("pads", new long[] { k / 2, k / 2, k / 2, k / 2 })
                .SetInts("strides", new long[] { stride, stride });
            if (depthwise)
            {
                n.SetInt("group", cout);
            }
        });
    }

    /// <summary>Adds an inference-mode BatchNormalization with deterministic parameters (positive variance).</summary>
    public static string Bn(GraphBuilder b, string name, string input, int c, int seed)
    {
        var scale = b.Weight(name + ".scale", new long[] { c }, TinyModels.Weights(c, seed).Select(v => 1 + v).ToArray());
        var bias = b.Weight(name + ".bias", new long[] { c }, TinyModels.Weights(c, seed + 1));
        var mean = b.Weight(name + ".mean", new long[] { c }, TinyModels.Weights(c, seed + 2));
        var variance = b.Weight(name + ".var", new long[] { c }, TinyModels.Weights(c, seed + 3).Select(v => 1 + v).ToArray());
        return b.Node("BatchNormalization", new[] { input, scale, bias, mean, variance }, name: name);
    }

    /// <summary>Zeroes the given entries of an initializer along axis 0 (output filters, biases, BN parameters).</summary>
    public static void Zero(OnnxModel model, string initializer, params int[] channels)
    {
        var t = model.Graph.Initializer.Single(i => i.Name == initializer);
        var values = TensorData.ToFloats(t);
        var per = values.Length / (int)t.Dims[0];
        foreach (var c in channels)
        {
            Array.Clear(values, c * per, per);
        }

        model.Graph.Initializer[model.Graph.Initializer.IndexOf(t)] = TensorData.FromFloats(t.Name, t.Dims.ToArray(), values);
    }

    /// <summary>Zeroes a conv's filters and biases of the given output channels: they output exact zeros.</summary>
    public static void KillFilters(OnnxModel model, string conv, params int[] channels)
    {
        Zero(model, conv + ".weight", channels);
        Zero(model, conv + ".bias", channels);
    }

    /// <summary>A BatchNormalization that maps 0 to 0 on the given channels (bias and mean zero).</summary>
    public static void ZeroBn(OnnxModel model, string bn, params int[] channels)
    {
        Zero(model, bn + ".bias", channels);
        Zero(model, bn + ".mean", channels);
    }

    public static long[] Dims(OnnxModel model, string node, int input) =>
        model.Graph.Initializer.Single(t => t.Name == Node(model, node).Input[input]).Dims.ToArray();

    /// <summary>
    /// What every P1 rewrite of a group must keep: the graph output names, their shapes in ONNX Runtime; and the MACs fall.
    /// </summary>
    public static void AssertPrunedWell(OnnxModel original, OnnxModel pruned, int[] shape)
    {
        Assert.Equal(original.Graph.Output.Select(o => o.Name), pruned.Graph.Output.Select(o => o.Name));
        Assert.Equal(original.Graph.Output.Select(o => o.Type.ToString()), pruned.Graph.Output.Select(o => o.Type.ToString()));
        RunChecked(original, pruned, shape);
        var before = ModelAnalyzer.Analyze(original).TotalMacs;
        var after = ModelAnalyzer.Analyze(pruned).TotalMacs;
        Assert.True(after < before, $"MACs {before} -> {after}");
    }
}
