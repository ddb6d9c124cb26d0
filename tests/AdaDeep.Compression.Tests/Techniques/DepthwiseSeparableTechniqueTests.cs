using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Linalg;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class DepthwiseSeparableTechniqueTests
{
    private readonly DepthwiseSeparableTechnique _c2 = new();

    // K[o, c, s] = Σ_r A[o, r]·B[c, r]·C[s, r]; with B = identity columns this is a separable kernel.
    private static float[] CpKernel(int cout, int cin, int area, int rank, bool separable, int seed)
    {
        var rng = new DeterministicRandom(seed);
        double Draw() => rng.NextDouble() * 2 - 1;
        var terms = separable ? cin : rank;
        var a = Enumerable.Range(0, cout * terms).Select(_ => Draw()).ToArray();
        var b = Enumerable.Range(0, cin * terms).Select(i => separable ? (i / terms == i % terms ? 1.0 : 0.0) : Draw()).ToArray();
        var c = Enumerable.Range(0, area * terms).Select(_ => Draw()).ToArray();
        var k = new float[cout * cin * area];
        for (var o = 0; o < cout; o++)
        {
            for (var ch = 0; ch < cin; ch++)
            {
                for (var s = 0; s < area; s++)
                {
                    k[(o * cin + ch) * area + s] = (float)Enumerable.Range(0, terms).Sum(r => a[o * terms + r] * b[ch * terms + r] * c[s * terms + r]);
                }
            }
        }

        return k;
    }

    [Fact]
    public void SeparableKernelIsReproducedWithoutReduction()
    {
        var model = TestModels.SingleConv(3, 5, 3, CpKernel(5, 3, 9, 0, separable: true, seed: 1));
        var rewritten = _c2.Apply(model, "conv", TechniqueOptions.Default with { WidthMultiplier = 1f });
        var shape = TestModels.SingleConvShape(3);
        var input = Input(shape);
        AssertSameOutputs(model, rewritten, input, shape, 1e-4);
        var depthwise = rewritten.Graph.Node.Single(n => n.Name.StartsWith("conv_c2_depthwise", StringComparison.Ordinal));
        Assert.Equal(3, depthwise.GetInt("group", 1));
    }

    [Fact]
    public void LowRankKernelIsReproducedThroughTheReduction()
    {
        // Cin 6, Cout 8, 3×3, α = 0.5: r = 3 channels, and 3·(6+9+8) < 6·(9+8), so the 1×1 reduction is used.
        Assert.Equal(3, DepthwiseSeparableTechnique.DepthwiseChannels(6, 8, 9, 0.5f));
        var model = TestModels.SingleConv(6, 8, 3, CpKernel(8, 6, 9, 3, separable: false, seed: 2));
        var rewritten = _c2.Apply(model, "conv", TechniqueOptions.Default);
        Assert.Contains(rewritten.Graph.Node, n => n.Name.StartsWith("conv_c2_reduce", StringComparison.Ordinal));
        var shape = TestModels.SingleConvShape(6);
        var input = Input(shape);
        var error = RelativeError(OrtRunner.Run(rewritten, input, shape), OrtRunner.Run(model, input, shape));
        Assert.True(error < 1e-3, $"relative error {error}");
    }

    [Fact]
    public void WidthMultiplierIsSkippedWhenItWouldNotShrink()
    {
        Assert.Equal(1, DepthwiseSeparableTechnique.DepthwiseChannels(1, 8, 9, 0.5f));
        Assert.Equal(2, DepthwiseSeparableTechnique.DepthwiseChannels(4, 8, 9, 0.5f));
        Assert.Equal(8, DepthwiseSeparableTechnique.DepthwiseChannels(8, 2, 1, 0.5f));
    }

    [Fact]
    public void CutsMacsOnLeNetAndRefuses1x1()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _c2.Apply(model, "conv2", TechniqueOptions.Default);
        Assert.True(ModelAnalyzer.Analyze(rewritten).TotalMacs < ModelAnalyzer.Analyze(model).TotalMacs);
        Assert.False(_c2.CanApply(TestModels.SingleConv(4, 4, 1), "conv").CanApply);
    }

    [Theory]
    [InlineData(2, 1, null)]
    [InlineData(1, 0, null)]
    [InlineData(2, -1, "SAME_UPPER")]
    public void KeepsTheGeometryOfStridedAndPaddedConvs(int stride, int pad, string? autoPad)
    {
        var model = TestModels.SingleConv(4, 6, 3, stride: stride, pad: pad, autoPad: autoPad, size: 11);
        RunChecked(model, _c2.Apply(model, "conv", TechniqueOptions.Default), TestModels.SingleConvShape(4, 11));
    }
}
