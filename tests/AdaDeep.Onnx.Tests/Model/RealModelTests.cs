using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Model;

/// <summary>The models committed under models/ load, run in ONNX Runtime, and survive a load/save round trip unchanged.</summary>
public sealed class RealModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adadeep-realmodels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private OnnxModel RoundTrip(OnnxModel model)
    {
        var path = Path.Combine(_dir, "model.onnx");
        model.Save(path);
        return OnnxModel.Load(path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Mnist8MatchesItsTestDataBeforeAndAfterARoundTrip(int set)
    {
        var dataDir = RepoPaths.PathOf("models", "mnist-8", $"test_data_set_{set}");
        var input = TensorFile.Read(Path.Combine(dataDir, "input_0.pb"));
        var expected = TensorData.ToFloats(TensorFile.Read(Path.Combine(dataDir, "output_0.pb")));
        var shape = TensorData.Shape(input);
        var x = TensorData.ToFloats(input);

        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var before = OrtRunner.Run(model, x, shape);
        var after = OrtRunner.Run(RoundTrip(model), x, shape);

        Assert.Equal(expected.Length, before.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - before[i]) <= 1e-3, $"output {i}: expected {expected[i]}, ORT gave {before[i]}");
        }

        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("cifar10-cnn", new[] { 2, 3, 32, 32 })]
    [InlineData("iris-mlp", new[] { 5, 4 })]
    public void OutputsAreIdenticalAfterARoundTrip(string name, int[] shape)
    {
        var model = OnnxModel.Load(RepoPaths.Model(name));
        var x = TinyModels.Weights(shape.Aggregate(1, (a, b) => a * b), 42, 1f);
        var before = OrtRunner.Run(model, x, shape);
        var reloaded = RoundTrip(model);
        var after = OrtRunner.Run(reloaded, x, shape);
        Assert.Equal(shape[0] * (name == "iris-mlp" ? 3 : 10), before.Length);
        Assert.Equal(before, after);
        Assert.Equal(model.ToBytes(), reloaded.ToBytes());
        Assert.Equal(model.Sha256(), reloaded.Sha256());
    }

    [Fact]
    public void SavingIsStableAcrossRepeatedRoundTrips()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var once = RoundTrip(model).ToBytes();
        var twice = RoundTrip(OnnxModel.Parse(once)).ToBytes();
        Assert.Equal(once, twice);
    }
}
