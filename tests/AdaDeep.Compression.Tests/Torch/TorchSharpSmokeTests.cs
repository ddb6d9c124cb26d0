using TorchSharp;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Tests.Torch;

/// <summary>TorchSharp's native library loads here (the native fix works) and trains a little.</summary>
public class TorchSharpSmokeTests
{
    [Fact]
    public void CreatesTensorsAndComputes()
    {
        using var scope = NewDisposeScope();
        var a = ones(3, 4);
        var b = arange(12, dtype: float32).reshape(4, 3);

        var product = a.matmul(b);

        Assert.Equal(new long[] { 3, 3 }, product.shape);
        Assert.Equal(18f + 22f + 26f, product.sum(1)[0].item<float>(), 3);
    }

    [Fact]
    public void LinearLayerTrainsOneStepWithMseLoss()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var layer = nn.Linear(4, 2);
        var x = randn(16, 4);
        var target = randn(16, 2);
        var optimizer = optim.SGD(layer.parameters(), 0.1);
        var loss = nn.functional.mse_loss(layer.forward(x), target);

        optimizer.zero_grad();
        loss.backward();

        Assert.All(layer.parameters(), p => Assert.NotNull(p.grad));
        Assert.True(layer.parameters().All(p => p.grad!.abs().sum().item<float>() > 0));
        optimizer.step();
        var after = nn.functional.mse_loss(layer.forward(x), target);
        Assert.True(after.item<float>() < loss.item<float>(), $"loss {loss.item<float>()} -> {after.item<float>()}");
    }
}
