using AdaDeep.Cli.Project;
using AdaDeep.Engine.Pipeline;
using Xunit;

namespace AdaDeep.Cli.Tests.Project;

public sealed class CachedResultReaderTests
{
    private static readonly CompressResult Sample = new()
    {
        Model = "/tmp/net.onnx",
        OutputSha256 = new string('a', 64),
        SizeBytes = 7225,
        OriginalSizeBytes = 26394,
        Accuracy = 0.98,
        AccuracyIsAgreement = true,
        BudgetsMet = true,
        Techniques = "P1+Q8W",
        Device = "sony-sw3",
        Optimizer = "dqn",
    };

    [Fact]
    public void ParseResult_ReadsTheEngineResultDocument()
    {
        var parsed = CachedResultReader.ParseResult(Sample.ToJson());

        Assert.NotNull(parsed);
        Assert.Equal(7225, parsed.SizeBytes);
        Assert.Equal("P1+Q8W", parsed.Techniques);
        Assert.True(parsed.AccuracyIsAgreement);
    }

    [Fact]
    public void ParseReport_ReadsTheResultMemberOfReportJson()
    {
        var report = "{ \"result\": " + Sample.ToJson() + ", \"search\": { \"episodes\": 3 } }";

        var parsed = CachedResultReader.ParseReport(report);

        Assert.NotNull(parsed);
        Assert.Equal(26394, parsed.OriginalSizeBytes);
        Assert.Equal("sony-sw3", parsed.Device);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{ \"search\": {} }")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"result\": { \"sizeBytes\": 1 } }")] // required members missing
    public void ParseReport_ReturnsNullWithoutAResult(string json) => Assert.Null(CachedResultReader.ParseReport(json));

    [Theory]
    [InlineData("")]
    [InlineData("{ \"sizeBytes\": 1 }")]
    [InlineData("{ \"result\": {} }")]
    public void ParseResult_ReturnsNullForOtherDocuments(string json) => Assert.Null(CachedResultReader.ParseResult(json));
}
