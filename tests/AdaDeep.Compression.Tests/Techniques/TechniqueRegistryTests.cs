using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Techniques;

public class TechniqueRegistryTests
{
    [Fact]
    public void ListsTheFourteenStableIdsInOrder()
    {
        Assert.Equal(new[] { "W1f", "W1c", "W2", "W3", "C1", "C2", "C3", "L1", "L2", "L3", "Q8W", "Q8", "P1", "BN", "P2", "P2@25", "P1@25" }, TechniqueRegistry.Ids);
        Assert.Equal(10, TechniqueRegistry.Paper.Count);
        Assert.All(TechniqueRegistry.All, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
    }

    [Fact]
    public void GetFindsByIdIgnoringCase()
    {
        Assert.Equal("W1f", TechniqueRegistry.Get("W1f").Id);
        Assert.Equal("W1f", TechniqueRegistry.Get("w1f").Id);
        Assert.Equal("Q8W", TechniqueRegistry.Get("q8w").Id);
    }

    [Fact]
    public void UnknownIdListsTheKnownOnes()
    {
        var e = Assert.Throws<AdaDeepException>(() => TechniqueRegistry.Get("W9"));
        Assert.Equal(ErrorCodes.TechniqueUnknown, e.Code);
        Assert.Contains("W9", e.Message);
        Assert.Contains("W1f, W1c, W2", e.Message);
        Assert.Null(TechniqueRegistry.TryGet("nope"));
    }

    [Fact]
    public void ForLayerPicksTheTechniquesOfEachLayerKind()
    {
        var model = TinyModels.LeNetLike();
        Assert.Equal(new[] { "W1c", "W3", "C2", "L1", "L2", "Q8W", "Q8", "P1", "P1@25" }, TechniqueRegistry.ForLayer(model, "conv1").Select(t => t.Id));
        Assert.Equal(new[] { "W1c", "W3", "C1", "C2", "C3", "L1", "L2", "Q8W", "Q8", "P1", "P1@25" }, TechniqueRegistry.ForLayer(model, "conv2").Select(t => t.Id));
        Assert.Equal(new[] { "W1f", "W2", "W3", "L3", "Q8W", "Q8" }, TechniqueRegistry.ForLayer(model, "fc1").Select(t => t.Id));
        Assert.Equal(new[] { "W1f", "W2", "W3", "Q8W", "Q8" }, TechniqueRegistry.ForLayer(model, "fc2").Select(t => t.Id));
        Assert.Empty(TechniqueRegistry.ForLayer(model, "relu1"));
        Assert.Empty(TechniqueRegistry.ForLayer(model, "missing"));
    }
}
