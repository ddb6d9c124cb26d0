using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Evaluation;

public class OrtModelRunnerTests
{
    internal static Dataset RandomData(int count, int[] sampleShape, int seed, float scale = 1f)
    {
        var size = sampleShape.Aggregate(1, (a, b) => a * b);
        return new Dataset(TinyModels.Weights(count * size, seed, scale), sampleShape, null, "random");
    }

    [Fact]
    public void Top1_InChunks_IsTheTop1OfTheWholeRun()
    {
        var model = TinyModels.Mlp();
        var data = RandomData(21, new[] { 4 }, seed: 8, scale: 3f);
        using var runner = new OrtModelRunner(model);

        Assert.Equal(runner.Run(data).Top1(), runner.Top1(data, chunk: 4));
        Assert.Equal(runner.Run(data).Top1(), runner.Top1(data));
    }

    [Fact]
    public void Run_FreeBatch_MatchesOneSampleAtATimeForAnyBatchSize()
    {
        var model = TinyModels.Mlp();
        var data = RandomData(7, new[] { 4 }, seed: 5);
        using var runner = new OrtModelRunner(model);

        var batched = runner.Run(data, batchSize: 3);
        var whole = runner.Run(data, batchSize: 64);

        Assert.Null(runner.FixedBatch);
        Assert.Equal(new[] { 3 }, batched.SampleShape);
        Assert.Equal(7, batched.Count);
        Assert.Equal(whole.Values, batched.Values);
        for (var i = 0; i < data.Count; i++)
        {
            var single = OrtRunner.Run(model, data.Sample(i).ToArray(), new[] { 1, 4 });
            Assert.Equal(single, batched.Sample(i).ToArray());
        }
    }

    [Fact]
    public void Run_FixedBatchOfOne_LoopsOverTheSamples()
    {
        var model = TinyModels.LeNetLike(batch: 1);
        var data = RandomData(5, new[] { 1, 12, 12 }, seed: 9);
        using var runner = new OrtModelRunner(model);

        var outputs = runner.Run(data, batchSize: 4);

        Assert.Equal(1, runner.FixedBatch);
        Assert.Equal(5, outputs.Count);
        Assert.Equal(OrtRunner.Run(model, data.Sample(4).ToArray(), new[] { 1, 1, 12, 12 }), outputs.Sample(4).ToArray());
    }

    [Fact]
    public void Run_FixedBatchLargerThanOne_PadsTheLastBatch()
    {
        var model = TinyModels.LeNetLike(batch: 2);
        var data = RandomData(3, new[] { 1, 12, 12 }, seed: 3);
        using var runner = new OrtModelRunner(model);

        var outputs = runner.Run(data);

        Assert.Equal(3, outputs.Count);
        var lastPadded = data.Sample(2).ToArray().Concat(new float[144]).ToArray();
        var expected = OrtRunner.Run(model, lastPadded, new[] { 2, 1, 12, 12 }).Take(10).ToArray();
        Assert.Equal(expected, outputs.Sample(2).ToArray());
    }

    [Fact]
    public void Run_Mnist8_ReproducesTheReferenceOutputsOfItsTestDataSets()
    {
        var folder = RepoPaths.ModelFolder("mnist-8");
        var model = OnnxModel.Load(Path.Combine(folder, "model.onnx"));
        using var runner = new OrtModelRunner(model);

        for (var set = 0; set < 3; set++)
        {
            var setFolder = Path.Combine(folder, $"test_data_set_{set}");
            var outputs = runner.Run(DatasetLoader.Load(setFolder));
            var expected = TensorData.ToFloats(TensorProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(setFolder, "output_0.pb"))));

            Assert.Equal(expected.Length, outputs.Values.Length);
            Assert.All(expected.Zip(outputs.Values), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-3, $"{p.First} vs {p.Second}"));
            Assert.Equal(Array.IndexOf(expected, expected.Max()), outputs.Top1()[0]);
        }
    }

    [Fact]
    public void Run_IsDeterministic()
    {
        var model = TinyModels.LeNetLike(batch: 1);
        var data = RandomData(4, new[] { 1, 12, 12 }, seed: 1);

        using var first = new OrtModelRunner(model);
        using var second = new OrtModelRunner(model);

        Assert.Equal(first.Run(data).Values, second.Run(data).Values);
    }
}
