using AdaDeep.Compression.Normalization;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Normalization;

/// <summary>Each operator whose meaning changed between opset 9 and 13, converted: ONNX Runtime gives the same outputs
/// before (old opset, old form) and after (opset 13, new form).</summary>
public class OpsetUpgradeTests
{
    private static readonly int[] Shape = { 1, 2, 3, 4 };

    public static TheoryData<string> Cases => new() { "Unsqueeze", "Squeeze", "Slice", "Pad", "Clip", "ReduceSum", "Softmax", "LogSoftmax" };

    private static OnnxModel Build(string op)
    {
        (long[] Dims, Action<NodeProto> Configure) spec = op switch
        {
            "Unsqueeze" => (new long[] { 1, 1, 2, 3, 4 }, n => n.SetInts("axes", new long[] { 0 })),
            "Squeeze" => (new long[] { 2, 3, 4 }, n => n.SetInts("axes", new long[] { 0 })),
            "Slice" => (new long[] { 1, 2, 2, 4 }, n => n.SetInts("starts", new long[] { 0, 1 }).SetInts("ends", new long[] { 2, 3 }).SetInts("axes", new long[] { 1, 2 })),
            "Pad" => (new long[] { 1, 2, 5, 6 }, n => n.SetInts("pads", new long[] { 0, 0, 1, 1, 0, 0, 1, 1 }).SetFloat("value", 0.5f)),
            "Clip" => (new long[] { 1, 2, 3, 4 }, n => n.SetFloat("min", -0.2f).SetFloat("max", 0.3f)),
            "ReduceSum" => (new long[] { 1, 1, 3, 4 }, n => n.SetInts("axes", new long[] { 1 })),
            "Softmax" => (new long[] { 1, 2, 3, 4 }, n => n.SetInt("axis", 1)),     // legacy: over the 24 values of the flattened row
            "LogSoftmax" => (new long[] { 1, 2, 3, 4 }, n => n.SetInt("axis", 2)),  // legacy: over the last 12
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        var b = new GraphBuilder(op).Input("x", 1, 2, 3, 4).Output("y", spec.Dims.Select(d => (long?)d).ToArray());
        // A conv in front, so that the model has a layer for the techniques.
        var c = b.Node("Conv", new[] { "x", b.Weight("w", new long[] { 2, 2, 1, 1 }, TinyModels.Weights(4, 7)) }, configure: n => n.SetInts("kernel_shape", new long[] { 1, 1 }), name: "conv");
        b.Node(op, new[] { c }, output: "y", configure: spec.Configure, name: op.ToLowerInvariant());
        return b.ToModel(opset: 9, irVersion: 4);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConvertedOperator_GivesTheSameOutputsAtOpset13(string op)
    {
        var model = Build(op);
        var result = GraphNormalizer.Normalize(model);

        Assert.True(result.OpsetKeptReason is null, result.OpsetKeptReason);
        Assert.Equal(13, result.Model.OpsetVersion);
        var converted = result.Model.Graph.Node.Where(n => n.OpType == op).ToArray();
        Assert.NotEmpty(converted);
        Assert.All(converted, n => Assert.DoesNotContain(n.Attribute, a => a.Name is "axes" or "starts" or "ends" or "pads" or "min" or "max"));

        var input = Input(Shape);
        var before = OrtRunner.Run(model, input, Shape);
        var after = OrtRunner.Run(result.Model, input, Shape);
        Assert.Equal(before.Length, after.Length);
        Assert.True(RelativeError(after, before) < 1e-6, $"{op}: relative error {RelativeError(after, before)}");
    }
}
