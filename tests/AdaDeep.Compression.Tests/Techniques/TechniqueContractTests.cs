using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>What every technique promises on the tiny models: a clone that runs with the same output shape,
/// fewer stored weights, an untouched input, and a clean refusal on a layer it does not handle.</summary>
public class TechniqueContractTests
{
    // id, node it rewrites, a node of the wrong kind, and whether the saving shows in the dense count (else only after packing).
    public static TheoryData<string, string, string, bool> LeNetCases => new()
    {
        { "W1f", "fc1", "conv2", true },
        { "W1c", "conv2", "fc1", true },
        { "W2", "fc1", "conv2", true },
        { "W3", "fc1", "relu1", false },
        { "C1", "conv2", "fc1", true },
        { "C2", "conv2", "fc1", true },
        { "C3", "conv2", "fc1", false },
        { "L1", "conv2", "fc1", true },
        { "L2", "conv2", "fc1", true },
        { "L3", "fc1", "conv2", true },
        { "Q8W", "fc1", "relu1", false },
        { "P1", "conv2", "fc1", true },
    };

    [Theory]
    [MemberData(nameof(LeNetCases))]
    public void RewriteRunsKeepsShapeAndShrinks(string id, string node, string wrongNode, bool denseShrinks)
    {
        var model = TinyModels.LeNetLike();
        var before = model.ToBytes();
        var technique = TechniqueRegistry.Get(id);
        var options = TechniqueOptions.Default with { PruneSparsity = 0.5f };

        Assert.True(technique.CanApply(model, node).CanApply, technique.CanApply(model, node).Reason);
        var rewritten = technique.Apply(model, node, options);

        Assert.Equal(before, model.ToBytes());
        var output = RunChecked(model, rewritten, LeNetShape);
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        if (denseShrinks)
        {
            Assert.True(Parameters(rewritten) < Parameters(model), $"{id}: {Parameters(rewritten)} >= {Parameters(model)} parameters");
        }
        else if (id == "Q8W")
        {
            Assert.True(FileBytes(rewritten) < FileBytes(model) - 2 * 1152, $"{id}: {FileBytes(rewritten)} of {FileBytes(model)} bytes");
        }
        else
        {
            Assert.True(NonZeroParameters(rewritten) < NonZeroParameters(model), $"{id}: no weight became zero");
        }

        var refusal = technique.CanApply(model, wrongNode);
        Assert.False(refusal.CanApply);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Reason));
        var e = Assert.Throws<AdaDeepException>(() => technique.Apply(model, wrongNode, options));
        Assert.Equal(ErrorCodes.TechniqueNotApplicable, e.Code);
        Assert.Contains(id, e.Message);
    }

    [Theory]
    [MemberData(nameof(LeNetCases))]
    public void RefusesAMissingNode(string id, string node, string wrongNode, bool denseShrinks)
    {
        _ = (node, wrongNode, denseShrinks);
        var verdict = TechniqueRegistry.Get(id).CanApply(TinyModels.LeNetLike(), "no_such_node");
        Assert.False(verdict.CanApply);
        Assert.Contains("no_such_node", verdict.Reason);
    }

    [Theory]
    [InlineData("W1f", "fc1")]
    [InlineData("W2", "fc2")]
    [InlineData("W3", "fc1")]
    [InlineData("Q8W", "fc2")]
    public void FcTechniquesWorkOnTheMlp(string id, string node)
    {
        var model = TinyModels.Mlp();
        var rewritten = TechniqueRegistry.Get(id).Apply(model, node, TechniqueOptions.Default with { PruneSparsity = 0.3f });
        var output = RunChecked(model, rewritten, MlpShape);
        Assert.Equal(6, output.Length);
    }

    [Fact]
    public void AddedNamesAreFreshSoATechniqueCanRunTwice()
    {
        var model = TinyModels.LeNetLike();
        var once = TechniqueRegistry.Get("W1f").Apply(model, "fc1", TechniqueOptions.Default);
        var second = once.Graph.Node.First(n => n.OpType == "MatMul").Name;
        var twice = TechniqueRegistry.Get("W3").Apply(once, second, TechniqueOptions.Default with { PruneSparsity = 0.5f });
        var names = twice.Graph.Node.SelectMany(n => n.Output).Concat(twice.Graph.Initializer.Select(i => i.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        RunChecked(model, twice, LeNetShape);
    }

    [Fact]
    public void TwoTechniquesInSequenceStillRun()
    {
        var model = TinyModels.LeNetLike();
        var c2 = TechniqueRegistry.Get("C2").Apply(model, "conv2", TechniqueOptions.Default);
        var both = TechniqueRegistry.Get("W3").Apply(c2, "fc1", TechniqueOptions.Default with { PruneSparsity = 0.8f });
        RunChecked(model, both, LeNetShape);
        Assert.True(NonZeroParameters(both) < NonZeroParameters(c2));
        Assert.True(Parameters(c2) < Parameters(model));
    }

    [Fact]
    public void PaperPairsCompose()
    {
        // SparseSep (W1c + W2), SqueezeNet (L1 + L3) and NIN (L2 + L3) from paper 5.2.3.
        var model = TinyModels.LeNetLike();
        foreach (var (conv, fc) in new[] { ("W1c", "W2"), ("L1", "L3"), ("L2", "L3") })
        {
            var first = TechniqueRegistry.Get(conv).Apply(model, "conv2", TechniqueOptions.Default);
            var second = TechniqueRegistry.Get(fc).Apply(first, "fc1", TechniqueOptions.Default);
            RunChecked(model, second, LeNetShape);
        }
    }
}
