using AdaDeep.Cli.Commands;
using AdaDeep.Engine.Pipeline;

namespace AdaDeep.Cli.Tests.Commands;

/// <summary>The compress command's one-line summary leads with the engine's accuracy headline (issue 23.5).</summary>
public class CompressSummaryHeadlineTests
{
    private static CompressResult Result(string? measure, string? headline, bool meaningful = true) => new()
    {
        Model = "det.onnx",
        OutputSha256 = "ab",
        Device = "sony-sw3",
        Techniques = "Q8W",
        Accuracy = 0.6667,
        OriginalAccuracy = 1.0,
        AccuracyIsAgreement = true,
        ValidationMeaningful = meaningful,
        AccuracyMeasure = measure,
        AccuracyHeadline = headline,
    };

    [Fact]
    public void ADenseOutputShowsCosine_NotAnAgreementPercentage()
    {
        const string cosine = "output cosine similarity to the original 0.9987 (min 0.9912; dense output 4x640x640 on 6 inputs, where top-1 agreement says nothing)";
        var line = CompressCommand.Summary(Result(AccuracyMeasures.Cosine, cosine));

        Assert.Contains(cosine, line);
        Assert.DoesNotContain("66.67", line);
        Assert.DoesNotContain("agreement 100", line);
    }

    [Fact]
    public void AMeaninglessCheckShowsItsReason_NotANumber()
    {
        const string notMeasured = "accuracy not measured (ADA3604: the original predicts class 0 for every input, so top-1 agreement says nothing)";
        var line = CompressCommand.Summary(Result(AccuracyMeasures.NotMeasured, notMeasured, meaningful: false) with { Accuracy = 1.0 });

        Assert.Contains(notMeasured, line);
        Assert.DoesNotContain("100.00", line);
    }

    [Fact]
    public void AnOlderResultWithoutAHeadline_KeepsThePercentages()
    {
        var line = CompressCommand.Summary(Result(null, null));
        Assert.Contains("agreement 100.00 % → 66.67 %", line);
    }
}
