using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Google.Protobuf;

namespace AdaDeep.Onnx.Tests.Model;

/// <summary>Fields our schema subset does not declare (newer ONNX, functions, vendor data) survive load and save.</summary>
public sealed class UnknownFieldsTests : IDisposable
{
    private const int ModelFunctionsField = 25;   // ModelProto.functions in onnx.proto, absent from our subset
    private const int NodeVendorField = 99;       // a field no NodeProto version defines
    private static readonly byte[] ModelPayload = "\n\x0badadeep_fun"u8.ToArray(); // a FunctionProto with name "adadeep_fun"
    private static readonly byte[] NodePayload = "node-marker-payload"u8.ToArray();

    private readonly string _dir = Directory.CreateTempSubdirectory("adadeep-unknown-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] LengthDelimited(int field, byte[] payload)
    {
        using var ms = new MemoryStream();
        var output = new CodedOutputStream(ms);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(payload));
        output.Flush();
        return ms.ToArray();
    }

    /// <summary>The payloads of every length-delimited occurrence of <paramref name="field"/> at the top level of a message.</summary>
    private static List<byte[]> Fields(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static byte[] WithUnknownFields()
    {
        var model = TinyModels.Mlp();
        var nodeBytes = model.Graph.Node[0].ToByteArray().Concat(LengthDelimited(NodeVendorField, NodePayload)).ToArray();
        model.Graph.Node[0] = NodeProto.Parser.ParseFrom(nodeBytes);
        return model.ToBytes().Concat(LengthDelimited(ModelFunctionsField, ModelPayload)).ToArray();
    }

    [Fact]
    public void ModelAndNodeUnknownFieldsSurviveParseAndSave()
    {
        var path = Path.Combine(_dir, "m.onnx");
        OnnxModel.Parse(WithUnknownFields()).Save(path);
        var saved = File.ReadAllBytes(path);

        Assert.Equal(new[] { ModelPayload }, Fields(saved, ModelFunctionsField));
        var graph = Fields(saved, 7).Single();
        var firstNode = Fields(graph, 1).First();
        Assert.Equal(new[] { NodePayload }, Fields(firstNode, NodeVendorField));
    }

    [Fact]
    public void UnknownFieldsSurviveCloneAndEdits()
    {
        var model = OnnxModel.Parse(WithUnknownFields()).Clone();
        model.Graph.Node[0].Name = "renamed";
        model.Proto.ProducerName = "edited";
        var saved = model.ToBytes();
        Assert.Equal(new[] { ModelPayload }, Fields(saved, ModelFunctionsField));
        var firstNode = Fields(Fields(saved, 7).Single(), 1).First();
        Assert.Equal(new[] { NodePayload }, Fields(firstNode, NodeVendorField));
        Assert.Equal("renamed", NodeProto.Parser.ParseFrom(firstNode).Name);
    }

    [Fact]
    public void AModelWithUnknownFieldsStillRunsTheSame()
    {
        var plain = TinyModels.Mlp();
        var withExtras = OnnxModel.Parse(WithUnknownFields());
        // ONNX Runtime would read field 25 as real functions, so run a copy with the model-level extra removed,
        // keeping the unknown node field, which runtimes must ignore.
        var nodeOnly = plain.Clone();
        nodeOnly.Graph.Node[0] = withExtras.Graph.Node[0].Clone();
        var x = TinyModels.Weights(8, 2);
        Assert.Equal(OrtRunner.Run(plain, x, new[] { 2, 4 }), OrtRunner.Run(nodeOnly, x, new[] { 2, 4 }));
    }
}
