using AdaDeep.Compression.Data;
using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Torch.BridgeTestSupport;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Tests.Torch;

public class TorchGraphModuleTests
{
    [Fact]
    public void Mlp_MatchesOnnxRuntime()
    {
        var (bridge, ort) = Both(TinyModels.Mlp(), Random(5 * 4, 1, 2f), new[] { 5, 4 });
        AssertClose(ort, bridge);
    }

    [Fact]
    public void LeNetLike_MatchesOnnxRuntime()
    {
        var (bridge, ort) = Both(TinyModels.LeNetLike(batch: 3), Random(3 * 144, 2, 2f), new[] { 3, 1, 12, 12 });
        AssertClose(ort, bridge);
    }

    [Fact]
    public void Mnist8_MatchesOnnxRuntimeOnItsTestData()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var data = DatasetLoader.Load(RepoPaths.ModelFolder("mnist-8"));
        using var module = TorchGraphModule.FromOnnx(model);

        for (var i = 0; i < data.Count; i++)
        {
            var input = data.Sample(i).ToArray();
            AssertClose(OrtRunner.Run(model, input, new[] { 1, 1, 28, 28 }), RunBridge(module, input, new[] { 1, 1, 28, 28 }));
        }
    }

    [Theory]
    [InlineData("cifar10-cnn", new[] { 2, 3, 32, 32 })]
    [InlineData("iris-mlp", new[] { 6, 4 })]
    public void RepositoryModels_MatchOnnxRuntime(string name, int[] shape)
    {
        var model = OnnxModel.Load(RepoPaths.Model(name));
        var (bridge, ort) = Both(model, Random(shape.Aggregate(1, (a, b) => a * b), 3), shape);
        AssertClose(ort, bridge);
    }

    [Fact]
    public void Weights_AreTheFloatWeightsOfConvGemmMatMulAndAddIncludingReshapedOnes()
    {
        using var module = TorchGraphModule.FromOnnx(OnnxModel.Load(RepoPaths.Model("mnist-8")));

        var names = module.Weights.Select(w => w.ValueName).Order().ToArray();

        // Parameter193 reaches MatMul through a Reshape; the int64 reshape shapes are not weights.
        Assert.Equal(new[] { "Parameter193", "Parameter194", "Parameter5", "Parameter6", "Parameter87", "Parameter88" }, names);
        Assert.All(module.Weights, w => Assert.True(w.Parameter.requires_grad));
        Assert.Equal(6, module.parameters().Count());
    }

    [Fact]
    public void UnsupportedOps_RunInOnnxRuntime_AndAreNamed()
    {
        var b = new GraphBuilder("g").Input("x", null, 4);
        Output(b, "y");
        var h = b.Node("Relu", new[] { "x" });
        b.Node("LpNormalization", new[] { h }, output: "y", configure: n => n.SetInt("axis", 1).SetInt("p", 2), name: "lpnorm");
        var model = b.ToModel();

        using var module = TorchGraphModule.FromOnnx(model);
        var input = Random(12, 3, 2f);

        Assert.Equal(new[] { "lpnorm (LpNormalization)" }, module.OrtEvaluatedNodes);
        AssertClose(OrtRunner.Run(model, input, new[] { 3, 4 }), RunBridge(module, input, new[] { 3, 4 }));
    }

    [Fact]
    public void WriteBack_PutsTrainedValuesIntoACopyThatOnnxRuntimeRuns()
    {
        var model = TinyModels.LeNetLike(batch: 2);
        var input = Random(2 * 144, 4, 2f);
        using var module = TorchGraphModule.FromOnnx(model);
        using (no_grad())
        {
            foreach (var w in module.Weights)
            {
                w.Parameter.mul_(0.9f).add_(0.01f);
            }
        }

        var written = module.WriteBack(model);

        AssertClose(OrtRunner.Run(written, input, new[] { 2, 1, 12, 12 }), RunBridge(module, input, new[] { 2, 1, 12, 12 }));
        Assert.NotEqual(TensorData.ToFloats(model.Graph.Initializer[0]), TensorData.ToFloats(written.Graph.Initializer[0]));
        Assert.Equal(model.Graph.Node, written.Graph.Node);
        Assert.Equal(model.Graph.Initializer.Select(i => i.Name), written.Graph.Initializer.Select(i => i.Name));
        Assert.Equal(TensorData.ToFloats(TinyModels.LeNetLike(batch: 2).Graph.Initializer[0]), TensorData.ToFloats(model.Graph.Initializer[0]));
    }

    [Fact]
    public void WriteBack_OfAnUntrainedModuleKeepsEveryValue()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        using var module = TorchGraphModule.FromOnnx(model);

        var written = module.WriteBack(model);

        foreach (var (before, after) in model.Graph.Initializer.Zip(written.Graph.Initializer))
        {
            Assert.Equal(before.Name, after.Name);
            Assert.Equal(before.Dims, after.Dims);
            Assert.Equal(TensorData.ToFloats(before), TensorData.ToFloats(after));
        }
    }

    [Fact]
    public void Backward_ReachesEveryWeight()
    {
        using var scope = NewDisposeScope();
        using var module = TorchGraphModule.FromOnnx(TinyModels.LeNetLike(batch: 2));
        var x = tensor(Random(2 * 144, 5, 2f), new long[] { 2, 1, 12, 12 });

        var loss = module.forward(x).pow(2).sum();
        loss.backward();

        Assert.All(module.Weights, w => Assert.NotNull(w.Parameter.grad));
        Assert.All(module.Weights, w => Assert.True(w.Parameter.grad!.abs().sum().item<float>() > 0, w.ValueName));
    }

    [Fact]
    public void MismatchedMatMulShapes_AreAnErrorNotAProcessAbort()
    {
        using var module = TorchGraphModule.FromOnnx(TinyModels.Mlp());

        var e = Assert.Throws<AdaDeepException>(() => RunBridge(module, Random(10, 1), new[] { 2, 5 }));

        Assert.Equal(ErrorCodes.ModelInvalidShape, e.Code);
        Assert.Contains("[2,5]", e.Message);
    }

    [Fact]
    public void TryRelaxFixedBatch_LetsMnist8RunMiniBatches()
    {
        var model = OnnxModel.Load(RepoPaths.Model("mnist-8"));
        var data = DatasetLoader.Load(RepoPaths.ModelFolder("mnist-8"));
        using var module = TorchGraphModule.FromOnnx(model);
        Assert.Equal(1, module.FixedBatch);

        using (var probe = tensor(data.X, new long[] { 3, 1, 28, 28 }))
        {
            Assert.True(module.TryRelaxFixedBatch(probe));
        }

        Assert.Null(module.FixedBatch);
        var batched = RunBridge(module, data.X, new[] { 3, 1, 28, 28 });
        var expected = Enumerable.Range(0, 3).SelectMany(i => OrtRunner.Run(model, data.Sample(i).ToArray(), new[] { 1, 1, 28, 28 })).ToArray();
        AssertClose(expected, batched);
    }

    [Fact]
    public void TryRelaxFixedBatch_RefusesGraphsThatBakeInTheBatch()
    {
        var b = new GraphBuilder("g").Input("x", 1, 4);
        Output(b, "y");
        var h = b.Node("Gemm", new[] { "x", b.Weight("w", new long[] { 4, 3 }, Random(12, 1)) });
        b.Node("Squeeze", new[] { h, b.Int64s("axes", new long[] { 0 }) }, output: "y");
        using var module = TorchGraphModule.FromOnnx(b.ToModel());
        using var probe = tensor(Random(8, 2), new long[] { 2, 4 });

        Assert.False(module.TryRelaxFixedBatch(probe));
        Assert.Equal(1, module.FixedBatch);
        AssertClose(OrtRunner.Run(b.ToModel(), Random(4, 3), new[] { 1, 4 }), RunBridge(module, Random(4, 3), new[] { 1, 4 }));
    }
}
