using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Data;

public class DatasetTests
{
    private static Dataset Numbered(int count, int[] sampleShape, bool labels = true)
    {
        var size = sampleShape.Aggregate(1, (a, b) => a * b);
        var x = Enumerable.Range(0, count * size).Select(i => (float)(i / size)).ToArray();
        return new Dataset(x, sampleShape, labels ? Enumerable.Range(0, count).Select(i => i % 10).ToArray() : null, "test");
    }

    [Fact]
    public void Take_KeepsTheFirstSamplesAndTheirLabels()
    {
        var data = Numbered(5, new[] { 2 });

        var first = data.Take(2);

        Assert.Equal(new[] { 0f, 0f, 1f, 1f }, first.X);
        Assert.Equal(new[] { 0, 1 }, first.Labels);
        Assert.Equal(5, data.Take(100).Count);
    }

    [Fact]
    public void Split_IsSeededDisjointAndComplete()
    {
        var data = Numbered(20, new[] { 3 });

        var (train, validation) = data.Split(0.25, seed: 42);
        var (train2, validation2) = data.Split(0.25, seed: 42);
        var (_, otherValidation) = data.Split(0.25, seed: 7);

        Assert.Equal(15, train.Count);
        Assert.Equal(5, validation.Count);
        Assert.Equal(validation.X, validation2.X);
        Assert.Equal(train.Labels, train2.Labels);
        Assert.NotEqual(validation.X, otherValidation.X);
        var ids = train.X.Where((_, i) => i % 3 == 0).Concat(validation.X.Where((_, i) => i % 3 == 0)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), ids);
        // Labels travel with their samples.
        Assert.All(Enumerable.Range(0, validation.Count), i => Assert.Equal((int)validation.Sample(i)[0] % 10, validation.Labels![i]));
    }

    [Fact]
    public void CheckMatches_AcceptsMnist8WithAFreeBatchDimension()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var data = Numbered(4, new[] { 1, 28, 28 });

        data.CheckMatches(model);
        Assert.Same(data, data.ConformTo(model));
    }

    [Fact]
    public void CheckMatches_RejectsOtherSampleShapes()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var data = Numbered(2, new[] { 3, 32, 32 });

        var e = Assert.Throws<AdaDeepException>(() => data.CheckMatches(model));

        Assert.Equal(ErrorCodes.DatasetShapeMismatch, e.Code);
        Assert.Contains("[1,1,28,28]", e.Message);
        Assert.Contains("[3,32,32]", e.Message);
    }

    [Fact]
    public void ConformTo_ViewsImagesAsVectorsForAModelThatTakesVectors()
    {
        var b = new GraphBuilder("flat").Input("x", null, 4).Output("y", null, 4);
        b.Node("Identity", new[] { "x" }, output: "y");
        var model = b.ToModel();
        var images = Numbered(3, new[] { 1, 2, 2 });

        images.CheckMatches(model);
        var vectors = images.ConformTo(model);

        Assert.Equal(new[] { 4 }, vectors.SampleShape);
        Assert.Equal(images.X, vectors.X);
        Assert.Throws<AdaDeepException>(() => Numbered(3, new[] { 5 }).CheckMatches(model));
        Assert.Throws<AdaDeepException>(() => Numbered(3, new[] { 1, 2, 3 }).CheckMatches(TinyModels.LeNetLike()));
    }
}
