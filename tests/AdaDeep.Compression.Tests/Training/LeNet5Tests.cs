using AdaDeep.Compression.Torch;
using AdaDeep.Compression.Training;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Torch.BridgeTestSupport;

namespace AdaDeep.Compression.Tests.Training;

public class LeNet5Tests
{
    [Fact]
    public void Build_IsAValidModelThatOnnxRuntimeRunsOnBatchesOfMnistImages()
    {
        var model = OnnxModel.Parse(LeNet5.Build().ToBytes());
        var input = Random(3 * 784, 1, 255f).Select(Math.Abs).ToArray();

        var shape = OrtRunner.OutputShape(model, input, new[] { 3, 1, 28, 28 });

        Assert.Equal(new[] { 3, 10 }, shape);
    }

    [Fact]
    public void Build_HasLeNet5sLayersAndParameterCount()
    {
        var model = LeNet5.Build();

        var parameters = model.Graph.Initializer.Where(i => i.Name != "pixel_scale").Sum(i => TensorData.ElementCount(i));

        Assert.Equal(156 + 2416 + 48120 + 10164 + 850, parameters);
        Assert.Equal(new[] { "Div", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm" },
            model.Graph.Node.Select(n => n.OpType));
    }

    [Fact]
    public void Build_IsSeeded()
    {
        Assert.Equal(LeNet5.Build(seed: 4).ToBytes(), LeNet5.Build(seed: 4).ToBytes());
        Assert.NotEqual(LeNet5.Build(seed: 4).ToBytes(), LeNet5.Build(seed: 5).ToBytes());
    }

    [Fact]
    public void Bridge_MatchesOnnxRuntime_AndTrainsEveryLayerButThePixelScale()
    {
        var model = LeNet5.Build();
        var input = Random(2 * 784, 2, 255f).Select(Math.Abs).ToArray();
        using var module = TorchGraphModule.FromOnnx(model);

        AssertClose(OrtRunner.Run(model, input, new[] { 2, 1, 28, 28 }), RunBridge(module, input, new[] { 2, 1, 28, 28 }));
        Assert.Equal(10, module.Weights.Count);
        Assert.DoesNotContain(module.Weights, w => w.ValueName == "pixel_scale");
    }
}
