using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Onnx.Tests.Model;

/// <summary>If/Loop bodies are visited by GraphIndex and GraphValidator and come back intact from a round trip.</summary>
public sealed class SubgraphTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("adadeep-subgraph-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AllGraphsWalksIfBranchesAndLoopBodies()
    {
        Assert.Equal(new[] { "if_model", "then", "else" }, GraphIndex.AllGraphs(SubgraphModels.IfModel().Graph).Select(g => g.Name));
        Assert.Equal(new[] { "loop_model", "body" }, GraphIndex.AllGraphs(SubgraphModels.LoopModel().Graph).Select(g => g.Name));
    }

    [Fact]
    public void ValidatorAcceptsOuterScopeReferences()
    {
        // then_add reads x and c from the enclosing graph; the loop body reads x.
        GraphValidator.Validate(SubgraphModels.IfModel());
        GraphValidator.Validate(SubgraphModels.LoopModel());
    }

    [Fact]
    public void ValidatorLooksInsideSubgraphs()
    {
        var model = SubgraphModels.IfModel();
        var elseBranch = model.Graph.Node.Single(n => n.OpType == "If").Attribute.Single(a => a.Name == "else_branch").G;
        elseBranch.Node[0].Input[0] = "nowhere";
        var e = Assert.Throws<AdaDeepException>(() => OnnxModel.Parse(model.ToBytes(), "if.onnx"));
        Assert.Equal(ErrorCodes.ModelMissingInitializer, e.Code);
        Assert.Contains("else_neg", e.Message);
        Assert.Contains("nowhere", e.Message);
    }

    [Fact]
    public void IfModelRunsTheSameAfterARoundTrip()
    {
        var model = SubgraphModels.IfModel();
        var path = Path.Combine(_dir, "if.onnx");
        model.Save(path);
        var reloaded = OnnxModel.Load(path);
        Assert.Equal(3, GraphIndex.AllGraphs(reloaded.Graph).Count());

        var positive = new[] { 1f, 1f, 1f, 1f };
        var negative = new[] { -1f, -2f, 0f, 0f };
        Assert.Equal(new[] { 2f, 3f, 4f, 5f }, OrtRunner.Run(reloaded, positive, new[] { 1, 4 }));  // x + c
        Assert.Equal(new[] { 1f, 2f, -0f, -0f }, OrtRunner.Run(reloaded, negative, new[] { 1, 4 })); // −x
        Assert.Equal(OrtRunner.Run(model, negative, new[] { 1, 4 }), OrtRunner.Run(reloaded, negative, new[] { 1, 4 }));
        Assert.Equal(model.ToBytes(), reloaded.ToBytes());
    }

    [Fact]
    public void LoopModelRunsTheSameAfterARoundTrip()
    {
        var model = SubgraphModels.LoopModel();
        var path = Path.Combine(_dir, "loop.onnx");
        model.Save(path);
        var reloaded = OnnxModel.Load(path);
        var x = new[] { 1f, 2f, 3f, 4f, -1f, 0.5f, 0f, 2f };
        Assert.Equal(x.Select(v => 4 * v), OrtRunner.Run(reloaded, x, new[] { 2, 4 }));
        Assert.Equal(model.ToBytes(), reloaded.ToBytes());
    }
}
