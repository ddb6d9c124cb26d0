using System.Text;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Google.Protobuf;

namespace AdaDeep.Onnx.Tests.Reliability;

/// <summary>Damaged and odd model files: each gets a stable code and names the file, or loads and analyses cleanly.</summary>
public class BadModelFileTests
{
    public static TheoryData<string, byte[]> NotOnnx => new()
    {
        { "text", Encoding.UTF8.GetBytes("this is not a model\n") },
        { "png header", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 } },
        { "zip header", new byte[] { (byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0 } },
        { "yaml", Encoding.UTF8.GetBytes("id: sony-sw3\nname: Sony\n") },
        { "json", Encoding.UTF8.GetBytes("{\"irVersion\": 8, \"graph\": {}}") },
        { "zeros", new byte[4096] },
        { "0xff", Enumerable.Repeat((byte)0xFF, 64).ToArray() },
        { "seeded noise", Noise(2048, seed: 6) },
    };

    [Theory]
    [MemberData(nameof(NotOnnx))]
    public void Bytes_that_are_not_onnx_are_rejected_naming_the_file(string what, byte[] bytes)
    {
        using var scratch = new ScratchFolder();
        var path = scratch.Write(what.Replace(' ', '-') + ".onnx", bytes);

        var error = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(path));

        Assert.Contains(error.Code, new[] { ErrorCodes.ModelNotOnnx, ErrorCodes.ModelTruncated });
        Assert.Equal(path, error.File);
    }

    [Fact]
    public void An_empty_file_is_ADA1004()
    {
        using var scratch = new ScratchFolder();
        var path = scratch.Write("empty.onnx", Array.Empty<byte>());

        var error = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(path));

        Assert.Equal(ErrorCodes.ModelEmpty, error.Code);
        Assert.Equal(path, error.File);
    }

    [Fact]
    public void A_missing_file_is_ADA1001()
    {
        using var scratch = new ScratchFolder();
        var path = Path.Combine(scratch.Path, "absent.onnx");

        var error = Assert.Throws<AdaDeepException>(() => OnnxModel.Load(path));

        Assert.Equal(ErrorCodes.ModelNotFound, error.Code);
        Assert.Equal(path, error.File);
    }

    [Fact]
    public void A_missing_initializer_names_the_node_and_the_value()
    {
        var model = TinyModels.LeNetLike();
        model.Graph.Initializer.Remove(model.Graph.Initializer.Single(i => i.Name == "conv2.weight"));

        var error = LoadBytes(model.ToBytes(), out var path);

        Assert.Equal(ErrorCodes.ModelMissingInitializer, error.Code);
        Assert.Equal(path, error.File);
        Assert.Contains("'conv2'", error.Message);
        Assert.Contains("'conv2.weight'", error.Message);
    }

    public static TheoryData<string, Func<TensorProto, TensorProto>> WrongShapes => new()
    {
        { "raw data short of the shape", t => With(t, x => x.RawData = ByteString.CopyFrom(t.RawData.Span[..8])) },
        { "raw data not whole floats", t => With(t, x => x.RawData = ByteString.CopyFrom(t.RawData.Span[..^3])) },
        { "a dimension more", t => With(t, x => x.Dims.Add(2)) },
        { "a negative dimension", t => With(t, x => { x.Dims[0] = -t.Dims[0]; }) },
        { "dimensions whose product overflows", t => With(t, x => { x.Dims.Clear(); x.Dims.Add(1L << 32); x.Dims.Add(1L << 32); }) },
        { "float_data short of the shape", t => With(t, x => { x.RawData = ByteString.Empty; x.FloatData.Add(1f); }) },
        { "int64 values short of the shape", t => new TensorProto { Name = t.Name, DataType = TensorData.Int64, Dims = { t.Dims }, Int64Data = { 1, 2 } } },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void An_initializer_whose_values_do_not_fill_its_shape_is_ADA1006(string what, Func<TensorProto, TensorProto> damage)
    {
        var model = TinyModels.LeNetLike();
        var index = model.Graph.Initializer.IndexOf(model.Graph.Initializer.Single(i => i.Name == "fc1.weight"));
        model.Graph.Initializer[index] = damage(model.Graph.Initializer[index]);

        var error = LoadBytes(model.ToBytes(), out var path);

        Assert.True(error.Code == ErrorCodes.ModelInvalidShape, $"{what}: {error}");
        Assert.Equal(path, error.File);
        Assert.Contains("fc1.weight", error.Message);
    }

    [Fact]
    public void A_constant_node_whose_value_does_not_fill_its_shape_is_ADA1006()
    {
        var b = new GraphBuilder("constant").Input("x", 1, 4).Output("y", 1, 4);
        var value = TensorData.FromFloats("c", new long[] { 4 }, new float[] { 1, 2, 3, 4 });
        value.Dims[0] = 1L << 40; // four values for a shape of 2^40
        var c = b.Node("Constant", Array.Empty<string>(), configure: n => n.Attribute.Add(
            new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value }), name: "c");
        b.Node("Add", new[] { "x", c }, output: "y");

        var error = LoadBytes(b.ToModel().ToBytes(), out var path);

        Assert.Equal(ErrorCodes.ModelInvalidShape, error.Code);
        Assert.Equal(path, error.File);
        Assert.Contains("'c'", error.Message);
    }

    [Fact]
    public void A_model_without_nodes_whose_output_is_its_input_loads_and_analyses_to_nothing()
    {
        var model = new GraphBuilder("passthrough").Input("x", 1, 4).ToModel();
        model.Graph.Output.Add(GraphBuilder.TensorInfo("x", TensorData.Float, new long?[] { 1, 4 }));

        var loaded = OnnxModel.Parse(model.ToBytes(), "empty-graph.onnx");
        var analysis = ModelAnalyzer.Analyze(loaded);

        Assert.Empty(analysis.Layers);
        Assert.Equal(0, analysis.TotalMacs);
        Assert.Equal(new long[] { 1, 4 }, analysis.Shapes["x"]);
    }

    [Fact]
    public void A_model_without_nodes_that_promises_an_output_is_ADA1005()
    {
        var model = new GraphBuilder("nothing").Input("x", 1, 4).Output("y", 1, 4).ToModel();

        var error = LoadBytes(model.ToBytes(), out var path);

        Assert.Equal(ErrorCodes.ModelMissingInitializer, error.Code);
        Assert.Equal(path, error.File);
        Assert.Contains("'y'", error.Message);
    }

    [Fact]
    public void A_model_without_a_graph_is_ADA1007()
    {
        var model = new GraphBuilder().ToModel();
        model.Proto.Graph = null;

        var error = LoadBytes(model.Proto.ToByteArray(), out var path);

        Assert.Equal(ErrorCodes.ModelNoGraph, error.Code);
        Assert.Equal(path, error.File);
    }

    [Fact]
    public void A_model_of_only_unsupported_operators_passes_through_analysis_unchanged()
    {
        // Operators of a custom domain: no shape rule, no MAC rule. Shapes come from the declarations only.
        var b = new GraphBuilder("custom").Input("x", 1, 4).Output("y", 1, 3);
        var w = b.Weight("w", new long[] { 4, 3 }, TinyModels.Weights(12, 3));
        var h = b.Node("Frobnicate", new[] { "x", w }, output: "h", configure: n => n.Domain = "com.example", name: "frob");
        b.Node("Defrobnicate", new[] { h }, output: "y", configure: n => n.Domain = "com.example", name: "defrob");
        b.Graph.ValueInfo.Add(GraphBuilder.TensorInfo("h", TensorData.Float, new long?[] { 1, 3 }));
        var model = OnnxModel.Parse(b.ToModel().ToBytes(), "custom.onnx");
        var before = model.Sha256();

        var analysis = ModelAnalyzer.Analyze(model);

        Assert.Equal(before, model.Sha256()); // analysis never changes the model
        Assert.Equal(new[] { "frob", "defrob" }, analysis.Layers.Select(l => l.NodeName));
        Assert.All(analysis.Layers, l => Assert.Equal(LayerKind.Other, l.Kind));
        Assert.All(analysis.Layers, l => Assert.Equal(0, l.Macs));
        Assert.Equal(12, analysis.Layers[0].Parameters); // its weight still counts
        Assert.Equal(new long[] { 1, 3 }, analysis.Layers[0].OutputShapes[0]);
        Assert.Equal(new long[] { 1, 3 }, analysis.Layers[1].OutputShapes[0]);
    }

    [Fact]
    public void External_data_is_ADA1008_naming_the_initializer()
    {
        var model = TinyModels.Mlp();
        var weight = model.Graph.Initializer[0];
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        weight.RawData = ByteString.Empty;

        var error = LoadBytes(model.ToBytes(), out var path);

        Assert.Equal(ErrorCodes.ModelExternalData, error.Code);
        Assert.Equal(path, error.File);
        Assert.Contains(weight.Name, error.Message);
    }

    private static AdaDeepException LoadBytes(byte[] bytes, out string path)
    {
        using var scratch = new ScratchFolder();
        path = scratch.Write("model.onnx", bytes);
        var file = path;
        return Assert.Throws<AdaDeepException>(() => OnnxModel.Load(file));
    }

    private static TensorProto With(TensorProto tensor, Action<TensorProto> change)
    {
        var copy = tensor.Clone();
        change(copy);
        return copy;
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
