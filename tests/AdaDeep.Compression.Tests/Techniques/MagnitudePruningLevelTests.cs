using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Techniques;

public class MagnitudePruningLevelTests
{
    [Fact]
    public void LevelVariantPrunesItsOwnSparsityWhateverTheOptionsSay()
    {
        var technique = TechniqueRegistry.Get("W3@95");
        Assert.Equal("W3@95", technique.Id);
        var pruned = technique.Apply(TinyModels.LeNetLike(), "fc1", TechniqueOptions.Default with { PruneSparsity = 0.5f });
        var weight = pruned.Graph.Node.Single(n => n.Name == "fc1").Input[1];
        var values = TensorData.ToFloats(pruned.Graph.Initializer.Single(t => t.Name == weight));
        Assert.Equal((int)Math.Floor(0.95 * 1152), values.Count(v => v == 0));
    }

    [Fact]
    public void ResolveOrdersLevelsInW3sPlaceAndRejectsUnknownIds()
    {
        var ids = TechniqueRegistry.Resolve(new[] { "Q8W", "W3@95", "W1f", "W3@80", "W3@95" }).Select(t => t.Id);
        Assert.Equal(new[] { "W1f", "W3@80", "W3@95", "Q8W" }, ids);
        foreach (var bad in new[] { "W3@0", "W3@100", "W3@x", "W3@-5", "C2@50" })
        {
            Assert.Equal(ErrorCodes.TechniqueUnknown, Assert.Throws<AdaDeepException>(() => TechniqueRegistry.Get(bad)).Code);
        }
    }
}
