using AdaDeep.Compression.Techniques;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Engine.Tests.Pipeline;

public class StorageDrivenSpaceTests
{
    private static readonly CompressRequest Request = new() { Device = "sony-sw3", OutputPath = "out.onnx" };

    [Fact]
    public void A_budget_beyond_int8s_reach_adds_higher_pruning_levels_and_shared_weights()
    {
        // mnist-8: 0.0247 MB of weights under the watch's 0.003 MB budget, 8× smaller than the original.
        var (request, reason) = StorageDrivenSpace.Apply(Request with { StorageBudgetMB = 0.003 }, originalWeightMB: 0.0247);

        Assert.NotNull(reason);
        Assert.Contains("8.2×", reason);
        Assert.Equal(StorageDrivenSpace.SharedWeights, request.WeightSharing);
        Assert.NotNull(request.Techniques);
        Assert.Equal(TechniqueRegistry.Ids.Concat(new[] { "W3@90", "W3@95" }), request.Techniques);
        // Every id resolves, so the search gets exactly these techniques.
        Assert.Equal(request.Techniques!.Count, TechniqueRegistry.Resolve(request.Techniques).Count);
    }

    [Theory]
    [InlineData(null)] // no storage budget
    [InlineData(0.0062)] // 4.0×: int8 meets it
    [InlineData(2.0)] // the paper's 2 MB: already inside
    public void A_budget_int8_can_meet_leaves_the_space_alone(double? budget)
    {
        var given = Request with { StorageBudgetMB = budget };

        var (request, reason) = StorageDrivenSpace.Apply(given, originalWeightMB: 0.0247);

        Assert.Null(reason);
        Assert.Same(given, request);
    }

    [Fact]
    public void A_space_the_user_chose_is_kept()
    {
        var techniques = Request with { StorageBudgetMB = 0.001, Techniques = new[] { "W3@80" } };
        var sharing = Request with { StorageBudgetMB = 0.001, WeightSharing = new WeightSharingOptions(4, 8) };

        Assert.Same(techniques, StorageDrivenSpace.Apply(techniques, 0.0247).Request);
        Assert.Same(sharing, StorageDrivenSpace.Apply(sharing, 0.0247).Request);
    }

    [Fact]
    public void Near_4x_the_file_int8_gives_decides_and_is_measured_only_there()
    {
        var measured = 0;
        double Int8File(double mb)
        {
            measured++;
            return mb;
        }

        // 4.0× below the weights: int8's 4× on the weights, but its file (scales, graph) is 0.0066 MB, over 0.0062.
        var (over, reason) = StorageDrivenSpace.Apply(Request with { StorageBudgetMB = 0.0062 }, 0.0247, () => Int8File(0.0066));
        Assert.Equal(StorageDrivenSpace.SharedWeights, over.WeightSharing);
        Assert.Contains("below the 0.0066 MB file int8 weights alone give", reason);

        var fits = Request with { StorageBudgetMB = 0.0062 };
        Assert.Same(fits, StorageDrivenSpace.Apply(fits, 0.0247, () => Int8File(0.0060)).Request);

        // Far from 4× nothing is measured: 2× (int8 fits) and 8× (int8 cannot).
        var calls = measured;
        StorageDrivenSpace.Apply(Request with { StorageBudgetMB = 0.0124 }, 0.0247, () => Int8File(1));
        StorageDrivenSpace.Apply(Request with { StorageBudgetMB = 0.003 }, 0.0247, () => Int8File(1));
        Assert.Equal(2, calls);
        Assert.Equal(calls, measured);
    }
}
