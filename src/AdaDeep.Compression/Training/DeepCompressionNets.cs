using AdaDeep.Onnx.Model;

namespace AdaDeep.Compression.Training;

/// <summary>
/// The two MNIST networks of Deep Compression's Table 1 (Han et al., ICLR 2016), as ONNX graphs taking raw pixel
/// values 0–255 (divided by 255 inside the graph, like <see cref="LeNet5"/>), weights from PyTorch's default
/// initialisation U(−1/√fan_in, 1/√fan_in) drawn from a seeded generator:
/// <list type="bullet">
/// <item>LeNet-300-100: flatten 784 → fc 300 → relu → fc 100 → relu → fc 10; 266,610 parameters (1,070 KB fp32).</item>
/// <item>Caffe's LeNet-5 (examples/mnist/lenet.prototxt): conv 20@5×5 → maxpool 2 → conv 50@5×5 → maxpool 2 →
/// flatten 800 → fc 500 → relu → fc 10; 431,080 parameters (1,720 KB).</item>
/// </list>
/// </summary>
public static class DeepCompressionNets
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    public static OnnxModel LeNet300100(int seed = 0)
    {
        var rng = new Random(seed);
        var b = new GraphBuilder("lenet-300-100").Input(InputName, null, 1, 28, 28).Output(OutputName, null, 10);
        var scaled = b.Node("Div", new[] { InputName, b.Weight("pixel_scale", Array.Empty<long>(), new[] { 255f }) }, name: "scale");
        var flat = b.Node("Flatten", new[] { scaled }, configure: n => n.SetInt("axis", 1), name: "flatten");
        var h1 = b.Node("Relu", new[] { InitializedLayers.Dense(b, rng, flat, "fc1", 784, 300) }, name: "relu1");
        var h2 = b.Node("Relu", new[] { InitializedLayers.Dense(b, rng, h1, "fc2", 300, 100) }, name: "relu2");
        InitializedLayers.Dense(b, rng, h2, "fc3", 100, 10, output: OutputName);
        return b.ToModel();
    }

    public static OnnxModel CaffeLeNet5(int seed = 0)
    {
        var rng = new Random(seed);
        var b = new GraphBuilder("lenet5-caffe").Input(InputName, null, 1, 28, 28).Output(OutputName, null, 10);
        var scaled = b.Node("Div", new[] { InputName, b.Weight("pixel_scale", Array.Empty<long>(), new[] { 255f }) }, name: "scale");
        var p1 = InitializedLayers.MaxPool2x2(b, InitializedLayers.Conv5x5(b, rng, scaled, "conv1", 20, 1), "pool1");
        var p2 = InitializedLayers.MaxPool2x2(b, InitializedLayers.Conv5x5(b, rng, p1, "conv2", 50, 20), "pool2");
        var flat = b.Node("Flatten", new[] { p2 }, configure: n => n.SetInt("axis", 1), name: "flatten");
        var h = b.Node("Relu", new[] { InitializedLayers.Dense(b, rng, flat, "fc1", 800, 500) }, name: "relu1");
        InitializedLayers.Dense(b, rng, h, "fc2", 500, 10, output: OutputName);
        return b.ToModel();
    }
}
