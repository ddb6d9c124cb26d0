using AdaDeep.Compression.Data;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;
using AdaDeep.TestUtilities;

namespace AdaDeep.Search.Tests.Environments;

/// <summary>A net of more than 12 layers is decided by stage: one choice rewrites every layer of the stage it fits.</summary>
public class StagedDecisionTests
{
    private static readonly DeviceProfile Host = DeviceCatalog.Default.Resolve("host");

    private static Dataset Inputs(int count) => new(TinyModels.Weights(count * 64, 7, 1f), new[] { 1, 8, 8 }, null, "random");

    private static CompressionEnvironment Env(CompressionEnvironmentOptions options) =>
        new(StagedModels.FifteenLayers(), Host, new SearchBudgets { StorageMB = 0.01 }, Inputs(16), options: options);

    private static long OutChannels(OnnxModel model, string conv)
    {
        var node = model.Graph.Node.Single(n => n.Name == conv);
        return model.Graph.Initializer.Single(t => t.Name == node.Input[1]).Dims[0];
    }

    [Fact]
    public void FifteenLayers_AreDecidedAsStages_NamedByTheirLayers()
    {
        var env = Env(CompressionEnvironmentOptions.Default with { Techniques = new[] { "P1", "Q8W" }, StageCount = 4 });

        Assert.Equal(4, env.DecisionPoints.Count);
        Assert.Equal(new[] { "c0", "c1", "c2" }, env.DecisionPoints[0].Layers);
        Assert.Equal(new[] { "c3", "c4", "c5", "c6" }, env.DecisionPoints[1].Layers);
        Assert.Equal(Enumerable.Range(7, 7).Select(i => $"c{i}"), env.DecisionPoints[2].Layers);
        Assert.Equal(new[] { "fc" }, env.DecisionPoints[3].Layers);
        Assert.Equal("c3 … c6 (4 layers)", env.DecisionPoints[1].Name);
        Assert.Equal("fc", env.DecisionPoints[3].Name);
        var analysis = ModelAnalyzer.Analyze(StagedModels.FifteenLayers());
        Assert.Equal(analysis.Layers.Where(l => l.NodeName is "c3" or "c4" or "c5" or "c6").Sum(l => l.Macs), env.DecisionPoints[1].Features.Macs);
        Assert.Equal(LayerKind.Conv, env.DecisionPoints[1].Features.Kind);
    }

    [Fact]
    public void P1OnAStage_PrunesEachDependencyGroupOnce_AndTheModelRunsWithFewerMacs()
    {
        // Q8W keeps the fc a decision point, so the stages are those of the first test.
        var env = Env(CompressionEnvironmentOptions.Default with { Techniques = new[] { "P1", "Q8W" }, StageCount = 4 });
        var p1 = env.ActionIndex("P1");
        var original = StagedModels.FifteenLayers();
        var pruned = env.BuildModel(new[] { 0, 0, p1 });

        // c7 … c13 halve once: c8 and c9 share the residual stream, so pruning c8 covers c9 (8 of 16 each, not 4).
        foreach (var conv in Enumerable.Range(7, 7).Select(i => $"c{i}"))
        {
            Assert.Equal(8, OutChannels(pruned, conv));
        }

        Assert.Equal(8, OutChannels(pruned, "c6"));
        Assert.True(ModelAnalyzer.Analyze(pruned).TotalMacs < ModelAnalyzer.Analyze(original).TotalMacs * 0.65);
        var input = TinyModels.Weights(64, 3, 1f);
        Assert.Equal(3, OrtRunner.Run(pruned, input, new[] { 1, 1, 8, 8 }).Length);
    }

    [Fact]
    public void Q8WOnAStage_GivesEveryLayerOfItInt8Weights()
    {
        var env = Env(CompressionEnvironmentOptions.Default with { Techniques = new[] { "Q8W" }, StageCount = 4 });
        var model = env.BuildModel(new[] { env.ActionIndex("Q8W") });

        foreach (var conv in new[] { "c0", "c1", "c2" })
        {
            var node = model.Graph.Node.Single(n => n.Name == conv);
            Assert.DoesNotContain(model.Graph.Initializer, t => t.Name == node.Input[1] && t.DataType == TensorData.Float);
        }

        var c3 = model.Graph.Node.Single(n => n.Name == "c3");
        Assert.Contains(model.Graph.Initializer, t => t.Name == c3.Input[1] && t.DataType == TensorData.Float);
    }

    [Fact]
    public void ANetAtTheThreshold_KeepsOneDecisionPerLayer()
    {
        var env = Env(CompressionEnvironmentOptions.Default with { Techniques = new[] { "Q8W" }, GroupLayersAbove = 15 });

        Assert.Equal(15, env.DecisionPoints.Count);
        Assert.All(env.DecisionPoints, p => Assert.Equal(new[] { p.Name }, p.Layers));
    }
}
