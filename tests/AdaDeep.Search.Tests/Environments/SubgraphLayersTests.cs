using AdaDeep.Compression.Data;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Search.Core;
using AdaDeep.Search.Environments;
using AdaDeep.TestUtilities;

namespace AdaDeep.Search.Tests.Environments;

/// <summary>Layers inside If/Loop bodies count in the costs but never become decision points of the search.</summary>
public class SubgraphLayersTests
{
    private static readonly DeviceProfile Watch = DeviceCatalog.Default.Resolve("sony-sw3");

    private static Dataset Images(int count) => new(TinyModels.Weights(count * 3 * 8 * 8, 7, 1f), new[] { 3, 8, 8 }, null, "random");

    [Fact]
    public void OnlyTheTopLevelConvIsDecided()
    {
        var env = new CompressionEnvironment(IfModels.ConvInEachBranch(withStem: true), Watch, SearchBudgets.None, Images(4));
        Assert.Equal(new[] { "stem" }, env.DecisionPoints.Select(p => p.Name));
    }

    [Fact]
    public void AModelWhoseConvsAreAllInBranchesIsRefusedNamingWhy()
    {
        var e = Assert.Throws<AdaDeepException>(() => CompressionEnvironment.RequireSomethingToDecide(IfModels.ConvInEachBranch(), null));
        Assert.Equal(ErrorCodes.SearchNothingToDecide, e.Code);
        Assert.Contains("inside an If/Loop/Scan body", e.Message);
    }
}
