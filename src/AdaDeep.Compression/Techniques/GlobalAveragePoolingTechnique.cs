using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Compression.Techniques.Rewriting;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;

namespace AdaDeep.Compression.Techniques;

/// <summary>
/// L3 (paper 5.2.1, Network in Network ref. [31]): the fc head — Flatten/Reshape of the last conv feature map
/// [N, C, H, W], then fc (→ activation → fc)* with their bias Adds — becomes a 1×1 conv from C channels to the
/// number of classes, GlobalAveragePool and Flatten, so the output keeps its [N, classes] shape. Applies to the
/// first fc of such a head. Initial weights collapse the head's affine maps (activations treated as identity)
/// and average each class's weights over the spatial positions of every channel.
/// </summary>
public sealed class GlobalAveragePoolingTechnique : TechniqueBase
{
    private static readonly HashSet<string> HeadActivations = new() { "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Dropout", "Identity" };

    public override string Id => "L3";

    public override string Description => "global average pooling in place of the fc head";

    public override bool NeedsFineTuning => true;

    internal override Applicability Check(OnnxModel model, GraphIndex index, NodeProto node) =>
        Plan(index, node, model.OpsetVersion, out var reason) is null ? Applicability.No(reason) : Applicability.Yes;

    internal override void Rewrite(RewriteSession s, NodeProto node, TechniqueOptions options)
    {
        var plan = Plan(s.Index, node, s.Opset, out _)!;
        var classes = plan.Weight.GetLength(0);
        var spatial = plan.Weight.GetLength(1) / plan.Channels;
        var weight = new float[classes * plan.Channels];
        for (var o = 0; o < classes; o++)
        {
            for (var c = 0; c < plan.Channels; c++)
            {
                double sum = 0;
                for (var p = 0; p < spatial; p++)
                {
                    sum += plan.Weight[o, c * spatial + p];
                }

                weight[o * plan.Channels + c] = (float)sum;
            }
        }

        var classMaps = s.Fresh(Stem(node, "gap_class_maps"));
        var pooled = s.Fresh(Stem(node, "gap_pooled"));
        var conv = NodeFactory.Conv(s, plan.FeatureMap, classMaps, Stem(node, "gap_conv"), weight,
            new long[] { classes, plan.Channels, 1, 1 }, plan.Bias.Select(b => (float)b).ToArray());
        var flatten = s.NewNode("Flatten", Stem(node, "gap_flatten"), new[] { pooled }, new[] { plan.Head[^1].Output[0] });
        flatten.SetInt("axis", 1);
        s.Replace(plan.Flatten, new[]
        {
            conv,
            NodeFactory.Unary(s, "GlobalAveragePool", classMaps, pooled, Stem(node, "gap_pool")),
            flatten,
        });
        foreach (var n in plan.Head)
        {
            s.Remove(n);
        }
    }

    /// <summary>The head to replace and its collapsed affine map (classes × C·H·W weight, bias).</summary>
    private sealed record HeadPlan(NodeProto Flatten, string FeatureMap, int Channels, List<NodeProto> Head, double[,] Weight, double[] Bias);

    private static HeadPlan? Plan(GraphIndex index, NodeProto node, long opset, out string reason)
    {
        var fc = FcLayer.TryDescribe(index, node, opset, out reason);
        if (fc is null)
        {
            return null;
        }

        var flatten = index.Producer(fc.Input);
        var flattens = flatten is not null &&
                       (flatten.OpType == "Flatten" && flatten.GetInt("axis", 1) == 1 ||
                        flatten.OpType == "Reshape" && Constants.TryInt64s(index, flatten.Input[1]) is { Length: 2 });
        if (!flattens)
        {
            reason = $"L3 replaces a head whose first fc is fed by a flattened conv feature map; '{node.Name}' reads " +
                     (flatten is null ? "a graph input" : $"the {flatten.OpType} '{flatten.Name}'");
            return null;
        }

        if (index.Consumers(flatten!.Output[0]).Count != 1 || index.IsGraphOutput(flatten.Output[0]))
        {
            reason = $"the flattened features '{flatten.Output[0]}' feed more than the head";
            return null;
        }

        var featureMap = flatten.Input[0];
        if (FeatureMaps.Channels(index, featureMap) is not { } channels || channels <= 0 || fc.In % channels != 0)
        {
            reason = $"'{featureMap}' is not recognisably the feature map of a conv (channels unknown or not dividing {fc.In} features)";
            return null;
        }

        var head = new List<NodeProto> { node };
        var weight = fc.Weight;
        var bias = fc.Bias?.Select(b => (double)b).ToArray() ?? new double[fc.Out];
        var current = node;
        var pendingActivations = new List<NodeProto>();
        while (true)
        {
            var output = current.Output[0];
            var consumers = index.Consumers(output);
            if (index.IsGraphOutput(output) || consumers.Count != 1)
            {
                break;
            }

            var next = consumers[0];
            if (HeadActivations.Contains(next.OpType) && next.Input[0] == output &&
                next.Output.Skip(1).All(o => o.Length == 0 || index.Consumers(o).Count == 0))
            {
                pendingActivations.Add(next);
                current = next;
                continue;
            }

            if (next.OpType == "Add" && next.Input.Count == 2 && next.Input.Contains(output) &&
                Constants.TryFloat(index, next.Input[0] == output ? next.Input[1] : next.Input[0]) is { } c &&
                (c.Count == bias.Length || c.Count == 1))
            {
                for (var o = 0; o < bias.Length; o++)
                {
                    bias[o] += c.Values[c.Count == 1 ? 0 : o];
                }
            }
            else if (next.Input[0] == output && FcLayer.TryDescribe(index, next, opset, out _) is { } nextFc && nextFc.In == weight.GetLength(0))
            {
                var newBias = new double[nextFc.Out];
                for (var o = 0; o < nextFc.Out; o++)
                {
                    var sum = nextFc.Bias?[o] ?? 0.0;
                    for (var i = 0; i < nextFc.In; i++)
                    {
                        sum += nextFc.Weight[o, i] * bias[i];
                    }

                    newBias[o] = sum;
                }

                weight = DenseAlgebra.Multiply(nextFc.Weight, weight);
                bias = newBias;
            }
            else
            {
                break;
            }

            head.AddRange(pendingActivations);
            pendingActivations.Clear();
            head.Add(next);
            current = next;
        }

        reason = "";
        return new HeadPlan(flatten, featureMap, channels, head, weight, bias);
    }
}
