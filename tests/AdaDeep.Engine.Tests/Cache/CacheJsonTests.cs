using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Tests.Cache;

public class CacheJsonTests
{
    [Fact]
    public void Parses_the_result_document_of_the_tool()
    {
        var obj = CacheJson.ParseObject("""
            {"model": "m\u00e9.onnx", "outputSha256": "ab", "sizeBytes": 26454, "macs": 1.5e6, "latencyMs": 3.25,
             "latencyBudgetMs": null, "accuracy": 0.98, "accuracyIsAgreement": true, "budgetsMet": false,
             "techniques": "C2+W3", "warnings": ["a \"quoted\" one", {"code": "ADA4002"}], "nested": {"x": [1, 2]}}
            """);
        Assert.Equal("mé.onnx", CacheJson.GetString(obj, "model"));
        Assert.Equal(26454d, CacheJson.GetNumber(obj, "sizeBytes"));
        Assert.Equal(1.5e6, CacheJson.GetNumber(obj, "macs"));
        Assert.Null(CacheJson.GetNumber(obj, "latencyBudgetMs"));
        Assert.True(obj.ContainsKey("latencyBudgetMs"));
        Assert.True(CacheJson.GetBool(obj, "accuracyIsAgreement"));
        Assert.False(CacheJson.GetBool(obj, "budgetsMet"));
        var warnings = Assert.IsType<List<object?>>(obj["warnings"]);
        Assert.Equal("a \"quoted\" one", warnings[0]);
    }

    [Fact]
    public void Writes_what_it_reads()
    {
        var doc = new Dictionary<string, object?>
        {
            ["text"] = "line\nbreak \"q\" \\ \u0001",
            ["int"] = 42L,
            ["real"] = 0.1,
            ["flag"] = false,
            ["none"] = null,
            ["list"] = new List<object?> { 1, "two" },
        };
        var back = CacheJson.ParseObject(CacheJson.Write(doc));
        Assert.Equal(doc["text"], back["text"]);
        Assert.Equal(42d, back["int"]);
        Assert.Equal(0.1, back["real"]);
        Assert.Equal(false, back["flag"]);
        Assert.Null(back["none"]);
        Assert.Equal(new object?[] { 1d, "two" }, Assert.IsType<List<object?>>(back["list"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\" 1}")]
    [InlineData("[1,]")]
    [InlineData("{\"a\": tru}")]
    [InlineData("{} x")]
    [InlineData("\"open")]
    public void Malformed_text_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => CacheJson.Parse(text));
    }
}
