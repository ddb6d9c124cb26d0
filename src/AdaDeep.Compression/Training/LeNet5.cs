using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Training;

/// <summary>
/// LeNet-5 (LeCun et al. 1998, in its common modern form) as an ONNX graph, for benchmarks on MNIST:
/// input [N,1,28,28] of raw pixel values 0–255 (divided by 255 inside the graph, like mnist-8 takes them) →
/// conv 6@5×5 pad 2 → relu → maxpool 2 → conv 16@5×5 → relu → maxpool 2 → flatten (400) → fc 120 → relu → fc 84 →
/// relu → fc 10 (logits). 61,706 parameters. Weights start from PyTorch's default initialisation,
/// U(−1/√fan_in, 1/√fan_in), drawn from a seeded generator.
/// </summary>
public static class LeNet5
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    public static OnnxModel Build(int seed = 0)
    {
        var rng = new Random(seed);
        var b = new GraphBuilder("lenet5").Input(InputName, null, 1, 28, 28).Output(OutputName, null, 10);
        var scaled = b.Node("Div", new[] { InputName, b.Weight("pixel_scale", Array.Empty<long>(), new[] { 255f }) }, name: "scale");

        var c1 = InitializedLayers.Conv5x5(b, rng, scaled, "conv1", outChannels: 6, inChannels: 1, pad: 2);
        var p1 = InitializedLayers.MaxPool2x2(b, b.Node("Relu", new[] { c1 }, name: "relu1"), "pool1");
        var c2 = InitializedLayers.Conv5x5(b, rng, p1, "conv2", outChannels: 16, inChannels: 6, pad: 0);
        var p2 = InitializedLayers.MaxPool2x2(b, b.Node("Relu", new[] { c2 }, name: "relu2"), "pool2");
        var flat = b.Node("Flatten", new[] { p2 }, configure: n => n.SetInt("axis", 1), name: "flatten");
        var f1 = b.Node("Relu", new[] { InitializedLayers.Dense(b, rng, flat, "fc1", 400, 120) }, name: "relu3");
        var f2 = b.Node("Relu", new[] { InitializedLayers.Dense(b, rng, f1, "fc2", 120, 84) }, name: "relu4");
        InitializedLayers.Dense(b, rng, f2, "fc3", 84, 10, output: OutputName);
        return b.ToModel();
    }
}
