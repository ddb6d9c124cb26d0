using AdaDeep.Onnx.Analysis;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Analysis;

/// <summary>MACs of Conv/MatMul nodes inside If branches and Loop bodies count per inference (issue 23).</summary>
public class ControlFlowMacsTests
{
    private const long ThenMacs = 1 * 4 * 8 * 8 * 3 * 3 * 3; // 3×3 conv 3→4 on 8×8
    private const long ElseMacs = 1 * 4 * 8 * 8 * 3; // 1×1 conv 3→4 on 8×8

    [Fact]
    public void AnIfCountsItsCostlierBranchOnly()
    {
        var analysis = ModelAnalyzer.Analyze(IfModels.ConvInEachBranch());

        var thenConv = analysis.Layers.Single(l => l.NodeName == "then_conv");
        var elseConv = analysis.Layers.Single(l => l.NodeName == "else_conv");
        Assert.Equal(ThenMacs, thenConv.Macs);
        Assert.Equal(ElseMacs, elseConv.Macs);
        Assert.Equal(1, thenConv.Runs);
        Assert.Equal(0, elseConv.Runs); // only one branch runs: the cheaper one is not added
        Assert.Equal(ThenMacs, analysis.TotalMacs);
        Assert.Equal("If 'branch' then_branch", thenConv.Scope);
        Assert.True(elseConv.InSubgraph);
        Assert.Null(analysis.Layers.Single(l => l.NodeName == "branch").Scope);
        Assert.Contains(analysis.Notes, n => n.Contains("If 'branch'", StringComparison.Ordinal) && n.Contains("then_branch", StringComparison.Ordinal));
        // Both branches' weights still ship.
        Assert.Equal(108 + 12 + 1, analysis.TotalParameters);
    }

    [Fact]
    public void TheIfModelStillRunsInOnnxRuntime()
    {
        var input = Enumerable.Range(0, 3 * 8 * 8).Select(i => (float)i / 100).ToArray();
        Assert.Equal(new[] { 1, 4, 8, 8 }, OrtRunner.OutputShape(IfModels.ConvInEachBranch(), input, new[] { 1, 3, 8, 8 }));
    }

    [Fact]
    public void ALoopBodyCountsItsConstantTripCount()
    {
        var analysis = ModelAnalyzer.Analyze(LoopModels.MatMulInBody(trips: 3));

        var matmul = analysis.Layers.Single(l => l.NodeName == "body_matmul");
        Assert.Equal(16, matmul.Macs);
        Assert.Equal(3, matmul.Runs);
        Assert.Equal(48, analysis.TotalMacs);
        Assert.Equal("Loop 'loop' body", matmul.Scope);
        Assert.DoesNotContain(analysis.Notes, n => n.Contains("lower bound", StringComparison.Ordinal));
    }

    [Fact]
    public void ALoopWithAComputedTripCountCountsOnceAndSaysItIsALowerBound()
    {
        var analysis = ModelAnalyzer.Analyze(LoopModels.MatMulInBody(constantTrips: false));

        Assert.Equal(1, analysis.Layers.Single(l => l.NodeName == "body_matmul").Runs);
        Assert.Equal(16, analysis.TotalMacs);
        Assert.Contains(analysis.Notes, n => n.Contains("Loop 'loop'", StringComparison.Ordinal) && n.Contains("lower bound", StringComparison.Ordinal));
    }

    [Fact]
    public void TheLoopModelsRunInOnnxRuntime()
    {
        var x = new[] { 1f, 2f, 3f, 4f };
        Assert.Equal(new[] { 1, 4 }, OrtRunner.OutputShape(LoopModels.MatMulInBody(trips: 3), x, new[] { 1, 4 }));
        Assert.Equal(new[] { 1, 4 }, OrtRunner.OutputShape(LoopModels.MatMulInBody(constantTrips: false), x, new[] { 1, 4 }));
    }

    [Fact]
    public void TopLevelModelsCountEveryLayerOnce()
    {
        var analysis = ModelAnalyzer.Analyze(TinyModels.LeNetLike());
        Assert.All(analysis.Layers, l => Assert.Equal(1, l.Runs));
        Assert.All(analysis.Layers, l => Assert.Null(l.Scope));
        Assert.Equal(analysis.Layers.Sum(l => l.Macs), analysis.TotalMacs);
        Assert.Empty(analysis.Notes);
    }
}
