using AdaDeep.Bench.Reporting;

namespace AdaDeep.Bench.Tests.Reporting;

public sealed class RunComparisonTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "adadeep-bench-tests-" + Guid.NewGuid().ToString("N"));

    public RunComparisonTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        Directory.CreateDirectory(Path.Combine(_root, "b"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Suite(string commit, params (string Technique, double Ms)[] rows) =>
        "{\"suite\":\"techniques\",\"commit\":\"" + commit + "\",\"machine\":{\"dateUtc\":\"2026-11-25 12:00 UTC\"},\"loadAverageAtEnd\":\"1.0\"," +
        "\"tables\":[{\"title\":\"Each technique\",\"rows\":[" +
        string.Join(",", rows.Select(r => "{\"technique\":\"" + r.Technique + "\",\"ortMs\":" + r.Ms.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"note\":null}")) +
        "]}]}";

    [Fact]
    public void Compare_ListsEachNumberWithItsChange_AndMatchesRepeatedKeysInOrder()
    {
        File.WriteAllText(Path.Combine(_root, "a", "techniques.json"), Suite("abc1234", ("W3", 2.0), ("W3", 4.0)));
        File.WriteAllText(Path.Combine(_root, "b", "techniques.json"), Suite("def5678", ("W3", 3.0), ("W3", 2.0)));

        var path = RunComparison.Compare(Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        var text = File.ReadAllText(path);

        Assert.Equal(Path.Combine(_root, "b", "comparison.md"), path);
        Assert.Contains("| Each technique | W3 | ortMs | 2 | 3 | +50.0% |", text);
        Assert.Contains("| Each technique | W3 #2 | ortMs | 4 | 2 | -50.0% |", text);
        Assert.Contains("at abc1234", text);
        Assert.Contains("at def5678", text);
    }

    [Fact]
    public void Compare_NewRowsAndSuitesAreNamed()
    {
        File.WriteAllText(Path.Combine(_root, "a", "techniques.json"), Suite("a", ("W3", 2.0)));
        File.WriteAllText(Path.Combine(_root, "b", "techniques.json"), Suite("b", ("W3", 2.0), ("C2", 1.0)));
        File.WriteAllText(Path.Combine(_root, "b", "distill.json"), Suite("b", ("x", 1.0)));

        var text = File.ReadAllText(RunComparison.Compare(Path.Combine(_root, "a"), Path.Combine(_root, "b")));

        Assert.Contains("| Each technique | C2 | (new row) |", text);
        Assert.Contains("`distill.json`: not in the baseline", text);
        Assert.Contains("| Each technique | W3 | ortMs | 2 | 2 | 0.0% |", text);
    }

    [Fact]
    public void Compare_WithNothingInCommon_Throws()
    {
        File.WriteAllText(Path.Combine(_root, "b", "distill.json"), Suite("b", ("x", 1.0)));

        Assert.Throws<InvalidOperationException>(() => RunComparison.Compare(Path.Combine(_root, "a"), Path.Combine(_root, "b")));
    }
}
