using AdaDeep.Fuzz;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Reliability;

/// <summary>The protobuf view the mutations work on must reproduce real files exactly, or every mutant would differ twice.</summary>
public class WireFieldTests
{
    [Theory]
    [InlineData("mnist-8")]
    [InlineData("cifar10-cnn")]
    [InlineData("iris-mlp")]
    public void A_real_model_parses_and_serializes_to_the_same_bytes(string name)
    {
        var bytes = File.ReadAllBytes(RepoPaths.Model(name));

        var fields = WireField.TryParse(bytes);

        Assert.NotNull(fields);
        Assert.Equal(bytes, WireField.Serialize(fields!));
    }

    [Fact]
    public void Bytes_that_are_not_protobuf_do_not_parse()
    {
        Assert.Null(WireField.TryParse("not protobuf at all"u8.ToArray()));
        Assert.Null(WireField.TryParse(new byte[] { 0x0A, 0x10, 1, 2 })); // a length past the end
    }

    [Fact]
    public void Every_protobuf_mutation_gives_a_new_array_and_onnx_mutations_keep_it_parseable()
    {
        var model = File.ReadAllBytes(RepoPaths.Model("iris-mlp"));
        var corpus = new[] { new FuzzSeed("iris", model, "model.onnx") };
        foreach (var mutator in ProtobufMutator.All.Concat(OnnxGraphMutator.All))
        {
            var mutant = mutator.Mutate(model, new Random(3), corpus);
            Assert.NotSame(model, mutant);
            if (mutator is OnnxGraphMutator)
            {
                _ = Onnx.Proto.ModelProto.Parser.ParseFrom(mutant); // well-formed protobuf, whatever ONNX says of it
            }
        }

        Assert.Equal(File.ReadAllBytes(RepoPaths.Model("iris-mlp")), model); // the seed is never changed in place
    }
}
