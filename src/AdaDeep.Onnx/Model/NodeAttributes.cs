using AdaDeep.Onnx.Proto;
using Google.Protobuf;

namespace AdaDeep.Onnx.Model;

/// <summary>Typed reads and writes of node attributes, with the ONNX defaults supplied by the caller.</summary>
public static class NodeAttributes
{
    public static long GetInt(this NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static float GetFloat(this NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    public static string GetString(this NodeProto node, string name, string fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.S.ToStringUtf8() : fallback;

    public static long[] GetInts(this NodeProto node, string name, long[] fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.Ints.ToArray() : fallback;

    public static bool HasAttribute(this NodeProto node, string name) => node.Attribute.Any(a => a.Name == name);

    public static NodeProto SetInt(this NodeProto node, string name, long value) =>
        Set(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    public static NodeProto SetFloat(this NodeProto node, string name, float value) =>
        Set(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    public static NodeProto SetString(this NodeProto node, string name, string value) =>
        Set(node, new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    public static NodeProto SetInts(this NodeProto node, string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return Set(node, a);
    }

    private static NodeProto Set(NodeProto node, AttributeProto attr)
    {
        var existing = node.Attribute.FirstOrDefault(a => a.Name == attr.Name);
        if (existing is not null)
        {
            node.Attribute.Remove(existing);
        }

        node.Attribute.Add(attr);
        return node;
    }
}
