using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Onnx.Tests.Reliability;

/// <summary>
/// Models that load (the structure is valid) but whose shapes or constants are damaged: shape inference and analysis
/// either leave a shape unknown or report ADA1006 naming the node — never an exception of another type, never a
/// negative or wrapped-around count. Each case here was an exception or a wrong count before (docs/reliability.md).
/// </summary>
public class HostileShapeTests
{
    [Fact]
    public void Slice_of_values_that_a_damaged_Reshape_stretched_keeps_the_shape_only()
    {
        // Shape(x) holds 2 values; Reshape gives it shape [5]; Slice then walked 5 values (IndexOutOfRangeException).
        var b = new GraphBuilder("stretch").Input("x", 1, 4).Output("y", 5);
        var s = b.Node("Shape", new[] { "x" }, name: "shape");
        var r = b.Node("Reshape", new[] { s, b.Int64s("five", new long[] { 5 }) }, name: "reshape");
        b.Node("Slice", new[] { r, b.Int64s("starts", new long[] { 0 }), b.Int64s("ends", new long[] { 5 }) }, output: "y", name: "slice");

        var analysis = Analyze(b.ToModel());

        Assert.Equal(new long[] { 5 }, analysis.Shapes["y"]);
    }

    [Fact]
    public void Pad_with_an_axis_beyond_the_rank_leaves_the_shape_unknown()
    {
        // Pad-18 takes axes as an input; axis 5 of a rank-2 tensor indexed past the shape (IndexOutOfRangeException).
        var b = new GraphBuilder("pad").Input("x", 1, 4).Output("y", 1, 6);
        b.Node("Pad", new[] { "x", b.Int64s("pads", new long[] { 1, 1 }), "", b.Int64s("axes", new long[] { 5 }) }, output: "y", name: "pad");

        var analysis = Analyze(b.ToModel(opset: 18));

        Assert.Equal(new long[] { 1, 6 }, analysis.Shapes["y"]); // from the declaration, not computed
        Assert.All(analysis.Layers, l => Assert.True(l.Activations >= 0));
    }

    [Fact]
    public void Resize_with_a_NaN_scale_leaves_the_shape_unknown()
    {
        // (long)Math.Floor(NaN) gave long.MinValue dimensions and negative activation counts.
        var b = new GraphBuilder("resize").Input("x", 1, 1, 4, 4);
        b.Weight("scales", new long[] { 4 }, new[] { 1f, 1f, float.NaN, 2f });
        b.Node("Resize", new[] { "x", "", "scales" }, output: "y", name: "resize");
        b.Graph.Output.Add(new ValueInfoProto { Name = "y" });

        var analysis = Analyze(b.ToModel());

        Assert.False(analysis.Shapes.ContainsKey("y"));
        Assert.Equal(0, analysis.Layers.Single().Activations);
    }

    [Fact]
    public void Tile_with_negative_repeats_leaves_the_shape_unknown()
    {
        var b = new GraphBuilder("tile").Input("x", 2, 3);
        b.Node("Tile", new[] { "x", b.Int64s("repeats", new long[] { -2, 1 }) }, output: "y", name: "tile");
        b.Graph.Output.Add(new ValueInfoProto { Name = "y" });

        var analysis = Analyze(b.ToModel());

        Assert.False(analysis.Shapes.ContainsKey("y"));
        Assert.All(analysis.Layers, l => Assert.True(l.Activations >= 0));
    }

    [Fact]
    public void Tile_whose_output_overflows_64_bits_is_ADA1006_naming_the_node()
    {
        // 1024 × 2^62 wrapped around to a shape of [0] before.
        var b = new GraphBuilder("tile").Input("x", 1024);
        b.Node("Tile", new[] { "x", b.Int64s("repeats", new long[] { 1L << 62 }) }, output: "y", name: "tile");
        b.Graph.Output.Add(new ValueInfoProto { Name = "y" });

        var error = AnalyzeFails(b.ToModel());

        Assert.Contains("'tile'", error.Message);
    }

    [Fact]
    public void A_matrix_product_with_more_than_2_pow_53_MACs_is_ADA1006()
    {
        // [2^26, 2^26] × [2^26, 2^26]: 2^78 MACs wrapped to a negative count before.
        var b = new GraphBuilder("huge").Input("a", 1L << 26, 1L << 26).Input("b", 1L << 26, 1L << 26);
        b.Node("MatMul", new[] { "a", "b" }, output: "y", name: "matmul");
        b.Graph.Output.Add(new ValueInfoProto { Name = "y" });

        var error = AnalyzeFails(b.ToModel());

        Assert.Contains("'matmul'", error.Message);
    }

    [Fact]
    public void An_input_declared_with_more_than_2_pow_53_elements_is_ADA1006_naming_it()
    {
        var b = new GraphBuilder("declared").Input("x", 1L << 40, 1L << 40).Output("y", 1L << 40, 1L << 40);
        b.Node("Relu", new[] { "x" }, output: "y", name: "relu");

        var error = AnalyzeFails(b.ToModel());

        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void An_empty_constant_claiming_a_huge_shape_is_ADA1006()
    {
        // [0, 2^62] holds no value, so its data matches its shape; the cost model would still count 2^62 elements.
        var b = new GraphBuilder("empty").Input("x", 1).Output("y", 1);
        var empty = new TensorProto { Name = "empty", DataType = TensorData.Float, Dims = { 0, 1L << 62 } };
        b.Graph.Initializer.Add(empty);
        b.Node("Add", new[] { "x", "empty" }, output: "y", name: "add");

        var error = AnalyzeFails(b.ToModel());

        Assert.Contains("'empty'", error.Message);
    }

    private static ModelAnalysis Analyze(OnnxModel built)
    {
        var model = OnnxModel.Parse(built.ToBytes(), "hostile.onnx");
        _ = ShapeInference.Infer(model, batchSize: 3);
        return ModelAnalyzer.Analyze(model);
    }

    private static AdaDeepException AnalyzeFails(OnnxModel built)
    {
        var error = Assert.Throws<AdaDeepException>(() => Analyze(built));
        Assert.Equal(ErrorCodes.ModelInvalidShape, error.Code);
        Assert.Equal("hostile.onnx", error.File);
        return error;
    }
}
