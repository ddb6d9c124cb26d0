using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Torch;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>The architecture-changing techniques produce graphs the TorchSharp bridge can load and fine-tune:
/// it computes what ONNX Runtime computes.</summary>
public class FineTuningCompatibilityTests
{
    [Theory]
    [InlineData("W1f", "fc1")]
    [InlineData("W1c", "conv2")]
    [InlineData("W2", "fc1")]
    [InlineData("W3", "fc1")]
    [InlineData("C1", "conv2")]
    [InlineData("C2", "conv2")]
    [InlineData("C3", "conv2")]
    [InlineData("L1", "conv2")]
    [InlineData("L2", "conv2")]
    [InlineData("L3", "fc1")]
    [InlineData("P1", "conv2")]
    [InlineData("BN", "bn")]
    [InlineData("P2", "rnn")]
    public void BridgeMatchesOnnxRuntimeOnTheRewrittenGraph(string id, string node)
    {
        var model = id switch
        {
            "BN" => BatchNormFoldingTechniqueTests.ConvBnRelu(convBias: false),
            "P2" => HiddenUnitPruningTechniqueTests.SequenceClassifier(),
            _ => TinyModels.LeNetLike(),
        };
        var shape = id switch { "BN" => new[] { 1, 3, 8, 8 }, "P2" => new[] { 2, 7, 5 }, _ => LeNetShape };
        var rewritten = TechniqueRegistry.Get(id).Apply(model, node, TechniqueOptions.Default with { PruneSparsity = 0.5f });
        Assert.Empty(OnnxOpSupport.Unsupported(rewritten.Graph));

        var input = Input(shape);
        using var scope = NewDisposeScope();
        using var module = TorchGraphModule.FromOnnx(rewritten);
        var bridge = module.forward(tensor(input, shape.Select(d => (long)d).ToArray())).data<float>().ToArray();
        Assert.True(MaxAbsDiff(OrtRunner.Run(rewritten, input, shape), bridge) < 1e-4);
    }
}
