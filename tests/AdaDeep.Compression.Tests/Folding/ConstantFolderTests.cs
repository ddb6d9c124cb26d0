using AdaDeep.Compression.Folding;
using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.Onnx.Proto;
using AdaDeep.TestUtilities;
using Google.Protobuf;

namespace AdaDeep.Compression.Tests.Folding;

public sealed class ConstantFolderTests
{
    private static readonly int[] Shape = { 2, 4 };

    [Fact]
    public void ComputedWeights_BecomeInitializers_AndTheModelComputesTheSame()
    {
        var model = ExportLikeModels.ComputedWeights();
        var result = ConstantFolder.Fold(model);

        Assert.True(result.Changed);
        var graph = result.Model.Graph;
        Assert.Equal(new[] { "Gemm", "Relu", "Gemm" }, graph.Node.Select(n => n.OpType));
        var fc2 = graph.Node.Single(n => n.Name == "fc2");
        var w2 = graph.Initializer.Single(i => i.Name == fc2.Input[1]);
        Assert.Equal(new long[] { 8, 3 }, w2.Dims);
        Assert.Equal(TensorData.Float, w2.DataType);
        Assert.DoesNotContain(graph.Initializer, i => i.Name is "b1shape" or "b2shape");

        var x = TinyModels.Weights(8, 9, 1f);
        Assert.Equal(OrtRunner.Run(model, x, Shape), OrtRunner.Run(result.Model, x, Shape));
        Assert.Equal(11, model.Graph.Node.Count); // the input model is not changed
    }

    [Fact]
    public void FoldedLayers_HaveConstantWeights_AndTechniquesApply()
    {
        var model = ExportLikeModels.ComputedWeights();
        Assert.Empty(TechniqueRegistry.ForLayer(model, "fc2"));

        var folded = ConstantFolder.Fold(model).Model;
        var layers = ModelAnalyzer.Analyze(folded).Layers;
        Assert.All(layers.Where(l => l.OpType == "Gemm"), l => Assert.True(l.Parameters > 0, $"{l.NodeName} owns no weights"));
        Assert.Equal(8 * 4 + 8 + 8 * 3 + 3, layers.Sum(l => l.Parameters));
        Assert.NotEmpty(TechniqueRegistry.ForLayer(folded, "fc1"));
        Assert.NotEmpty(TechniqueRegistry.ForLayer(folded, "fc2"));
    }

    [Fact]
    public void ValuesThatDependOnARuntimeInput_StayAsTheyAre()
    {
        // y = x * (Shape-free scale from the input) + ConstantOfShape bias: the Mul reads x, so only the bias folds.
        var b = new GraphBuilder("dynamic").Input("x", null, 4).Output("y", null, 4);
        var scale = b.Node("ReduceMax", new[] { "x" }, configure: n => n.SetInt("keepdims", 1), name: "scale");
        var scaled = b.Node("Mul", new[] { "x", scale }, name: "mul");
        var bias = b.Node("ConstantOfShape", new[] { b.Int64s("shape", new long[] { 4 }) }, configure: n => SetTensor(n, TensorData.FromFloats("v", new long[] { 1 }, new[] { 0.5f })), name: "bias_fill");
        b.Node("Add", new[] { scaled, bias }, output: "y", name: "add");
        var model = b.ToModel();

        var result = ConstantFolder.Fold(model);

        Assert.Equal(1, result.FoldedValues);
        Assert.Equal(new[] { "ReduceMax", "Mul", "Add" }, result.Model.Graph.Node.Select(n => n.OpType));
        var x = TinyModels.Weights(8, 4, 1f);
        Assert.Equal(OrtRunner.Run(model, x, Shape), OrtRunner.Run(result.Model, x, Shape));
    }

    [Fact]
    public void AnIdentityOfAWeightAnotherLayerAlsoReads_IsNotDuplicated()
    {
        // PyTorch shares a tensor between two layers through Identity: folding it would store the weight twice.
        var b = new GraphBuilder("shared").Input("x", null, 4).Output("y", null, 4);
        var w = b.Weight("shared.weight", new long[] { 4, 4 }, TinyModels.Weights(16, 3));
        var big = b.Weight("big.weight", new long[] { 32, 32 }, TinyModels.Weights(1024, 4));
        var alias = b.Node("Identity", new[] { w }, name: "alias");
        var bigAlias = b.Node("Identity", new[] { big }, name: "big_alias");
        var h = b.Node("MatMul", new[] { "x", w }, name: "first");
        var h2 = b.Node("MatMul", new[] { h, alias }, name: "second");
        var sum = b.Node("ReduceSum", new[] { bigAlias }, configure: n => n.SetInt("keepdims", 0), name: "sum");
        var bigAgain = b.Node("ReduceMax", new[] { big }, configure: n => n.SetInt("keepdims", 0), name: "max");
        b.Node("Add", new[] { h2, b.Node("Add", new[] { sum, bigAgain }) }, output: "y", name: "add");
        var model = b.ToModel();

        var result = ConstantFolder.Fold(model);

        // The small alias may fold (under 4 KB), the 4 KB one that `max` also reads stays an Identity.
        Assert.Contains(result.Model.Graph.Node, n => n.Name == "big_alias");
        Assert.True(result.Model.ToBytes().Length <= model.ToBytes().Length + 4096);
        var x = TinyModels.Weights(8, 4, 1f);
        Assert.Equal(OrtRunner.Run(model, x, Shape), OrtRunner.Run(result.Model, x, Shape));
    }

    [Fact]
    public void NothingFoldable_ReturnsTheSameModel()
    {
        var model = TinyModels.Mlp();
        var result = ConstantFolder.Fold(model);

        Assert.False(result.Changed);
        Assert.Same(model, result.Model);
    }

    [Fact]
    public void RandomGenerators_AreNotFolded()
    {
        var b = new GraphBuilder("random").Input("x", null, 4).Output("y", null, 4);
        var noise = b.Node("RandomNormal", Array.Empty<string>(), configure: n => n.SetInts("shape", new long[] { 4 }).SetInt("dtype", TensorData.Float), name: "noise");
        var noise2 = b.Node("Identity", new[] { noise }, name: "noise_id");
        b.Node("Add", new[] { "x", noise2 }, output: "y", name: "add");
        var model = b.ToModel();

        var result = ConstantFolder.Fold(model);

        Assert.False(result.Changed);
        Assert.Equal(3, result.Model.Graph.Node.Count);
    }

    [Fact]
    public void AWeightReadInsideAnIfBranch_IsFolded_AndTheBranchIsKeptIntact()
    {
        var model = IfModels.BranchReadingAComputedWeight();
        var ifBefore = model.Graph.Node.Single(n => n.OpType == "If").ToByteArray();

        var result = ConstantFolder.Fold(model);

        Assert.True(result.Changed);
        Assert.DoesNotContain(result.Model.Graph.Node, n => n.OpType == "ConstantOfShape");
        Assert.Equal(ifBefore, result.Model.Graph.Node.Single(n => n.OpType == "If").ToByteArray());
        foreach (var sign in new[] { 1f, -1f })
        {
            var x = TinyModels.Weights(8, 5, 1f).Select(v => Math.Abs(v) * sign).ToArray();
            Assert.Equal(OrtRunner.Run(model, x, Shape), OrtRunner.Run(result.Model, x, Shape));
        }
    }

    private static void SetTensor(NodeProto node, TensorProto value) => ExportLikeModels.SetTensor(node, value);
}
