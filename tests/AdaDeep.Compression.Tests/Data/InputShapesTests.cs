using AdaDeep.Compression.Data;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Data;

public class InputShapesTests
{
    [Fact]
    public void Resolve_FreeSpatialDims_FromInputShape_PinsThemAndKeepsTheBatchFree()
    {
        var model = RealWorldTinyModels.FreeSpatialCnn();

        var shapes = InputShapes.Resolve(model, InputShapeSpec.ParseAll(new[] { "x=1x3x48x192" }), null);
        var pinned = shapes.Pin(model);

        Assert.True(shapes.PinsAnything);
        Assert.Equal("x [N=1,3,48,192] (--input-shape)", shapes.Describe());
        var dims = pinned.Graph.Input[0].Type.TensorType.Shape.Dim;
        Assert.Equal("N", dims[0].DimParam);
        Assert.Equal(new long[] { 3, 48, 192 }, dims.Skip(1).Select(d => d.DimValue));
        Assert.Equal(792L * 48 * 192 + 16, ModelAnalyzer.Analyze(pinned).TotalMacs);
        Assert.Equal("H", model.Graph.Input[0].Type.TensorType.Shape.Dim[2].DimParam); // the original is untouched
    }

    [Fact]
    public void Resolve_FreeSpatialDims_WithoutShapeOrData_AsksForTheShape()
    {
        var e = Assert.Throws<AdaDeepException>(() => InputShapes.Resolve(RealWorldTinyModels.FreeSpatialCnn(), Array.Empty<(string, long[])>(), null));

        Assert.Equal(ErrorCodes.InputShapeUnresolved, e.Code);
        Assert.Contains("--input-shape x=1x3xHxW", e.Message);
    }

    [Fact]
    public void Resolve_TakesTheSampleShapeOfTheData()
    {
        var data = new Dataset(new float[2 * 3 * 5 * 7], new[] { 3, 5, 7 }, null, "data.npz");

        var shapes = InputShapes.Resolve(RealWorldTinyModels.FreeSpatialCnn(), Array.Empty<(string, long[])>(), data);

        Assert.Equal(new long[] { 1, 3, 5, 7 }, shapes.Inputs[0].Shape);
        Assert.Equal("data.npz", shapes.Inputs[0].Origin);
    }

    [Fact]
    public void Resolve_OnlyBatchDims_PinsNothing_AndStateBatchFollowsTheFirstInput()
    {
        var shapes = InputShapes.Resolve(RealWorldTinyModels.ThreeInputs(), Array.Empty<(string, long[])>(), null);

        Assert.False(shapes.PinsAnything);
        Assert.Equal(new[] { false, true, false }, shapes.Inputs[1].Batch);
        Assert.Empty(shapes.Inputs[2].Shape);
    }

    [Theory]
    [InlineData("x=1x4x48x192", "dimension 1 differs")]
    [InlineData("x=1x3x48", "3 dimensions")]
    [InlineData("images=1x3x48x192", "not a runtime input")]
    [InlineData("x=1x3xHx192", "is not a dimension")]
    public void Resolve_ASpecThatDoesNotFit_IsInputSpecInvalid(string spec, string expected)
    {
        var e = Assert.Throws<AdaDeepException>(() =>
            InputShapes.Resolve(RealWorldTinyModels.FreeSpatialCnn(), InputShapeSpec.ParseAll(new[] { spec }), null));

        Assert.Equal(ErrorCodes.InputSpecInvalid, e.Code);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unpin_GivesTheShippedModelTheFreeDeclarationsBack()
    {
        var model = RealWorldTinyModels.FreeSpatialCnn();
        var shapes = InputShapes.Resolve(model, InputShapeSpec.ParseAll(new[] { "1x3x16x16" }), null);

        var shipped = InputShapes.Unpin(shapes.Pin(model), model);

        Assert.Equal(model.Graph.Input[0], shipped.Graph.Input[0]);
        Assert.Equal(2, OrtRunner.Run(shipped, new float[3 * 9 * 11], new[] { 1, 3, 9, 11 }).Length);
    }
}
