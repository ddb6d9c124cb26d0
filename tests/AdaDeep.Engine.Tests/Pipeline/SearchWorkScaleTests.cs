using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Engine.Tests.Pipeline;

public class SearchWorkScaleTests
{
    private static readonly CompressRequest Request = new() { Device = "host", OutputPath = "out.onnx" };

    [Fact]
    public void SmallModel_KeepsTheRequestedSamples()
    {
        var scale = SearchWorkScale.For(Request, originalMacs: 16_864);

        Assert.False(scale.Scaled);
        Assert.Equal(Request.SearchValidationSamples, scale.ValidationSamples);
        Assert.Equal(Request.SearchFineTuneSamples, scale.FineTuneSamples);
    }

    [Fact]
    public void TenMegabyteCnn_IsMeasuredOnFewerSamples_NeverBelowTheFloor()
    {
        // mnasnet0_5 at 224×224: 104,455,968 MACs per sample.
        var scale = SearchWorkScale.For(Request, originalMacs: 104_455_968);

        Assert.True(scale.Scaled);
        Assert.Equal(19, scale.ValidationSamples);
        Assert.Equal(SearchWorkScale.MinFineTuneSamples, scale.FineTuneSamples);
        Assert.Equal(SearchWorkScale.MinValidationSamples, SearchWorkScale.For(Request, originalMacs: 10_000_000_000).ValidationSamples);
    }

    [Fact]
    public void SearchCutAfterAHandfulOfEpisodes_IsAWarning_OrAnErrorUnderTheFlag()
    {
        var warning = SearchWorkScale.CheckCoverage(Request, episodesRun: 6, episodesRequested: 60, stoppedByTime: true, "m.onnx");
        Assert.Contains(ErrorCodes.SearchTooShort, warning);
        Assert.Contains("after 6 of 60 episodes", warning);
        Assert.Null(SearchWorkScale.CheckCoverage(Request, 15, 60, stoppedByTime: true, "m.onnx"));
        Assert.Null(SearchWorkScale.CheckCoverage(Request, 1, 60, stoppedByTime: false, "m.onnx"));

        var e = Assert.Throws<AdaDeepException>(() =>
            SearchWorkScale.CheckCoverage(Request with { FailIfBudgetsNotMet = true }, 6, 60, stoppedByTime: true, "m.onnx"));
        Assert.Equal(ErrorCodes.SearchTooShort, e.Code);
    }
}
