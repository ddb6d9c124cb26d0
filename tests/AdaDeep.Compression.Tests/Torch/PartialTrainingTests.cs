using AdaDeep.Compression.Torch;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Torch.BridgeTestSupport;
using static TorchSharp.torch;

namespace AdaDeep.Compression.Tests.Torch;

/// <summary>
/// Training through the operators of real exports (issue 13.4): a Slice/HardSwish model trains end to end; an operator
/// the bridge runs in ONNX Runtime freezes the weights before it while the rest still trains; control flow (If) runs.
/// </summary>
public class PartialTrainingTests
{
    /// <summary>x[N,8] → fc1 (Gemm 8→8) → HardSwish → Slice channels 1..7 step 1 → <paramref name="middleOp"/> → fc2 (Gemm 6→3) = y.</summary>
    private static OnnxModel SliceHardSwish(string? middleOp = null)
    {
        var b = new GraphBuilder("slice_hswish").Input("x", null, 8);
        Output(b, "y");
        var h = b.Node("Gemm", new[] { "x", b.Weight("fc1.weight", new long[] { 8, 8 }, Random(64, 1, 0.5f)), b.Weight("fc1.bias", new long[] { 8 }, Random(8, 2, 0.1f)) },
            configure: n => n.SetInt("transB", 1), name: "fc1");
        var a = b.Node("HardSwish", new[] { h }, name: "hswish");
        var s = b.Node("Slice", new[] { a, b.Int64s("starts", new long[] { 1 }), b.Int64s("ends", new long[] { 7 }), b.Int64s("axes", new long[] { 1 }) }, name: "slice");
        if (middleOp is not null)
        {
            s = b.Node(middleOp, new[] { s }, configure: n => n.SetInt("axis", 1).SetInt("p", 2), name: "frozen");
        }

        b.Node("Gemm", new[] { s, b.Weight("fc2.weight", new long[] { 3, 6 }, Random(18, 3, 0.5f)), b.Weight("fc2.bias", new long[] { 3 }, Random(3, 4, 0.1f)) },
            output: "y", configure: n => n.SetInt("transB", 1), name: "fc2");
        return b.ToModel(opset: 14); // HardSwish is opset 14
    }

    /// <summary>Adam on the MSE to a fixed target; returns the loss before and after, and every weight before and after.</summary>
    private static (float Before, float After, Dictionary<string, float[]> Start, Dictionary<string, float[]> End) Train(TorchGraphModule module, int steps = 40)
    {
        using var scope = NewDisposeScope();
        var x = tensor(Random(16 * 8, 7, 2f), new long[] { 16, 8 });
        var target = tensor(Random(16 * 3, 8, 1f), new long[] { 16, 3 });
        var start = module.Weights.ToDictionary(w => w.ValueName, w => ValuesOf(w.Parameter));
        var optimizer = optim.Adam(module.parameters(), 0.02);
        float Loss() => nn.functional.mse_loss(module.forward(x), target).item<float>();
        var before = Loss();
        for (var i = 0; i < steps; i++)
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(module.forward(x), target).backward();
            optimizer.step();
        }

        var end = module.Weights.ToDictionary(w => w.ValueName, w => ValuesOf(w.Parameter));
        return (before, Loss(), start, end);
    }

    private static float[] ValuesOf(Tensor parameter)
    {
        using var detached = parameter.detach();
        return detached.contiguous().data<float>().ToArray();
    }

    [Fact]
    public void SliceHardSwishModel_Trains_EveryWeightChanges_AndLossDecreases()
    {
        var model = SliceHardSwish();
        using var module = TorchGraphModule.FromOnnx(model);
        Assert.Empty(module.OrtEvaluatedNodes);

        var (before, after, start, end) = Train(module);

        Assert.True(after < before * 0.8, $"loss {before} → {after}");
        Assert.All(start.Keys, name => Assert.NotEqual(start[name], end[name]));
        var written = module.WriteBack(model);
        var input = Random(8, 9, 1f);
        AssertClose(OrtRunner.Run(written, input, new[] { 1, 8 }), RunBridge(module, input, new[] { 1, 8 }));
    }

    [Fact]
    public void AnOpRunInOnnxRuntime_FreezesTheWeightsBeforeIt_AndTheRestTrains()
    {
        var model = SliceHardSwish(middleOp: "LpNormalization");
        using var module = TorchGraphModule.FromOnnx(model);
        Assert.Equal(new[] { "frozen (LpNormalization)" }, module.OrtEvaluatedNodes);

        var (before, after, start, end) = Train(module);

        Assert.True(after < before, $"loss {before} → {after}");
        Assert.Equal(start["fc1.weight"], end["fc1.weight"]);
        Assert.Equal(start["fc1.bias"], end["fc1.bias"]);
        Assert.NotEqual(start["fc2.weight"], end["fc2.weight"]);
        Assert.NotEqual(start["fc2.bias"], end["fc2.bias"]);
        var written = module.WriteBack(model);
        var input = Random(8, 9, 1f);
        AssertClose(OrtRunner.Run(written, input, new[] { 1, 8 }), RunBridge(module, input, new[] { 1, 8 }));
    }

    [Fact]
    public void IfBranchReadingOuterValues_RunsInOnnxRuntime_AndMatchesIt()
    {
        var model = IfModels.BranchReadingAComputedWeight();
        using var module = TorchGraphModule.FromOnnx(model);

        Assert.Equal(new[] { "branch (If)" }, module.OrtEvaluatedNodes);
        foreach (var sign in new[] { 1f, -1f })
        {
            var input = Random(8, 5, 1f).Select(v => Math.Abs(v) * sign).ToArray();
            AssertClose(OrtRunner.Run(model, input, new[] { 2, 4 }), RunBridge(module, input, new[] { 2, 4 }));
        }
    }
}
