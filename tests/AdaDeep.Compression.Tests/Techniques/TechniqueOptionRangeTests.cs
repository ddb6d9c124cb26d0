using AdaDeep.Compression.Techniques;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.TestUtilities;

namespace AdaDeep.Compression.Tests.Techniques;

/// <summary>
/// Every numeric option is checked the same way (TechniqueBase.RequireFraction / RequireAtLeastOne): a value outside
/// its range, NaN included, is TechniqueOptionInvalid naming the option and the range. Before the checks were shared,
/// C1's and W2's fractions let NaN through (a plain range pattern is false for NaN) and silently used a basis of 1.
/// </summary>
public class TechniqueOptionRangeTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        // technique, node of LeNetLike, option = bad value, the range the message must name
        { "C1", "conv2", "PcaBasisRatio=NaN", "(0, 1]" },
        { "C1", "conv2", "PcaBasisRatio=0", "(0, 1]" },
        { "C1", "conv2", "SparseKernelSparsity=NaN", "[0, 1)" },
        { "C1", "conv2", "SparseKernelSparsity=1", "[0, 1)" },
        { "W2", "fc1", "SparseCodeDensity=NaN", "(0, 1]" },
        { "W2", "fc1", "SparseCodeDensity=1.5", "(0, 1]" },
        { "W2", "fc1", "SparseCodingDivisor=0", "at least 1" },
        { "W1f", "fc1", "SvdRankDivisor=0", "at least 1" },
        { "W1c", "conv2", "SvdRankDivisor=-3", "at least 1" },
        { "C2", "conv2", "WidthMultiplier=NaN", "(0, 1]" },
        { "C3", "conv2", "SparseRandomTheta=-0.1", "[0, 1)" },
        { "L1", "conv2", "FireSqueezeRatio=0", "(0, 1]" },
        { "L2", "conv2", "MlpconvWidthRatio=NaN", "(0, 1]" },
        { "P1", "conv2", "ChannelPruneRatio=1", "(0, 1)" },
        { "W3", "fc1", "PruneSparsity=NaN", "[0, 1)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutOfRangeValues_AreInvalidOptions(string id, string node, string setting, string range)
    {
        var (option, value) = (setting.Split('=')[0], float.Parse(setting.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
        var options = With(option, value);

        var e = Assert.Throws<AdaDeepException>(() => TechniqueRegistry.Get(id).Apply(TinyModels.LeNetLike(), node, options));

        Assert.Equal(ErrorCodes.TechniqueOptionInvalid, e.Code);
        Assert.Contains(option, e.Message);
        Assert.Contains(range, e.Message);
    }

    [Theory]
    [InlineData("C1", "conv2", "PcaBasisRatio", 1f)]
    [InlineData("C1", "conv2", "SparseKernelSparsity", 0f)]
    [InlineData("C3", "conv2", "SparseRandomTheta", 0f)]
    [InlineData("W2", "fc1", "SparseCodeDensity", 1f)]
    [InlineData("W3", "fc1", "PruneSparsity", 0f)]
    public void ClosedEnds_AreAccepted(string id, string node, string option, float value)
    {
        var model = TinyModels.LeNetLike();
        var rewritten = TechniqueRegistry.Get(id).Apply(model, node, With(option, value));
        Assert.NotSame(model, rewritten);
        TechniqueTestKit.RunChecked(model, rewritten, TechniqueTestKit.LeNetShape);
    }

    private static TechniqueOptions With(string option, float value)
    {
        var property = typeof(TechniqueOptions).GetProperty(option)!;
        object boxed = property.PropertyType == typeof(int) ? (object)(int)value : value;
        var options = TechniqueOptions.Default with { };
        property.SetValue(options, boxed);
        return options;
    }
}
