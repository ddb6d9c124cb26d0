using AdaDeep.Compression.Training;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Training;

public class DeepCompressionNetsTests
{
    private static long Parameters(OnnxModel model) =>
        model.Graph.Initializer.Where(t => t.Name != "pixel_scale").Sum(TensorData.ElementCount);

    [Fact]
    public void NetsHaveThePapersParameterCountsAndRunInOrt()
    {
        var mlp = DeepCompressionNets.LeNet300100();
        var caffe = DeepCompressionNets.CaffeLeNet5();
        Assert.Equal(266_610, Parameters(mlp));
        Assert.Equal(431_080, Parameters(caffe));
        var input = Enumerable.Range(0, 784).Select(i => (float)(i % 255)).ToArray();
        Assert.Equal(10, OrtRunner.Run(mlp, input, new[] { 1, 1, 28, 28 }).Length);
        Assert.Equal(10, OrtRunner.Run(caffe, input, new[] { 1, 1, 28, 28 }).Length);
    }

    [Fact]
    public void SameSeedSameWeights() =>
        Assert.Equal(DeepCompressionNets.CaffeLeNet5(seed: 3).ToBytes(), DeepCompressionNets.CaffeLeNet5(seed: 3).ToBytes());
}
