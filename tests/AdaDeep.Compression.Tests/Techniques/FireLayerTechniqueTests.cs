using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;
using static AdaDeep.Compression.Tests.Techniques.TechniqueTestKit;

namespace AdaDeep.Compression.Tests.Techniques;

public class FireLayerTechniqueTests
{
    private readonly FireLayerTechnique _l1 = new();

    [Theory]
    [InlineData(3, 1, 1, null)] // "same" 3×3
    [InlineData(3, 2, 1, null)] // strided 3×3
    [InlineData(5, 1, 0, null)] // "valid" 5×5: the squeeze takes a 5×5 kernel to match
    [InlineData(5, 1, 1, null)] // under-padded 5×5: 3×3 squeeze
    [InlineData(5, 2, -1, "SAME_UPPER")]
    [InlineData(5, 1, -1, "VALID")]
    [InlineData(1, 1, 0, null)]
    [InlineData(3, 1, 3, null)] // over-padded: the squeeze gets the surplus pads
    public void OutputSizeMatchesForEveryGeometry(int k, int stride, int pad, string? autoPad)
    {
        var model = TestModels.SingleConv(4, 8, k, stride: stride, pad: pad, autoPad: autoPad, size: 11);
        var rewritten = _l1.Apply(model, "conv", TechniqueOptions.Default);
        var output = RunChecked(model, rewritten, TestModels.SingleConvShape(4, 11));
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void BuildsSqueezeAndTwoExpandBranches()
    {
        var model = TinyModels.LeNetLike();
        var rewritten = _l1.Apply(model, "conv2", TechniqueOptions.Default);
        var weights = rewritten.Graph.Initializer.Where(t => t.Name.StartsWith("conv2_fire", StringComparison.Ordinal)).ToDictionary(t => t.Name, t => t.Dims.ToArray());
        Assert.Equal(new long[] { 2, 4, 1, 1 }, weights.Single(w => w.Key.Contains("squeeze")).Value);
        Assert.Equal(new long[] { 4, 2, 1, 1 }, weights.Single(w => w.Key.Contains("expand1x1_weight")).Value);
        Assert.Equal(new long[] { 4, 2, 3, 3 }, weights.Single(w => w.Key.Contains("expand3x3_weight")).Value);
        var concat = rewritten.Graph.Node.Single(n => n.OpType == "Concat");
        Assert.Equal(1, concat.GetInt("axis", 0));
        Assert.Equal(Node(model, "conv2").Output[0], concat.Output[0]);
    }

    [Fact]
    public void InitialWeightsFollowTheOriginalConv()
    {
        // A 3×3 conv from 2 input channels: with 4 squeeze channels the ± pairs carry both basis directions,
        // so the 3×3 branch equals the original conv on its channels (up to float rounding).
        var model = TestModels.SingleConv(2, 16, 3);
        var rewritten = _l1.Apply(model, "conv", TechniqueOptions.Default);
        var shape = TestModels.SingleConvShape(2);
        var input = Input(shape);
        var original = OrtRunner.Run(model, input, shape);
        var fire = OrtRunner.Run(rewritten, input, shape);
        var plane = 100;
        var threeByThree = Enumerable.Range(8 * plane, 8 * plane).ToArray();
        Assert.True(threeByThree.Max(i => Math.Abs(original[i] - fire[i])) < 1e-4);
    }

    [Fact]
    public void RefusesASingleOutputChannel() =>
        Assert.False(_l1.CanApply(TestModels.SingleConv(3, 1, 3), "conv").CanApply);
}
