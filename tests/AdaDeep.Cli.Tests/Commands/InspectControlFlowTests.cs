using System.Text.Json;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Commands;

/// <summary><c>adadeep inspect</c> on models whose convolutions sit in If branches or Loop bodies (issue 23).</summary>
public sealed class InspectControlFlowTests : TempFolderTest
{
    private static string Line(string text, string label) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));

    private static string Row(string text, string node) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.Contains($" {node} ", StringComparison.Ordinal));

    [Fact]
    public void BranchConvsCountTheCostlierBranch()
    {
        var path = WriteFile("if.onnx", IfModels.ConvInEachBranch().ToBytes());
        var result = CliRunner.Run("inspect", path, "--no-measure", "--device", "sony-sw3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("  MACs:              6,912", Line(result.Output, "MACs:"));
        Assert.Contains(" 6,912 ", Row(result.Output, "then_conv"));
        Assert.Contains(" 768 ×0 ", Row(result.Output, "else_conv"));
        Assert.Contains("If 'branch': only one branch runs per inference; the costlier one counts (then_branch, 6,912 MACs", result.Output);
    }

    [Fact]
    public void JsonCarriesRunsScopesAndNotes()
    {
        var path = WriteFile("loop.onnx", LoopModels.MatMulInBody(trips: 3).ToBytes());
        var result = CliRunner.Run("inspect", path, "--no-measure", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var root = doc.RootElement;
        Assert.Equal(48, Property(Property(root, "totals"), "totalMacs").GetInt64());
        var matmul = Property(root, "layers").EnumerateArray().Single(l => Property(l, "name").GetString() == "body_matmul");
        Assert.Equal(16, Property(matmul, "macs").GetInt64());
        Assert.Equal(3, Property(matmul, "runs").GetInt64());
        Assert.Equal(48, Property(matmul, "countedMacs").GetInt64());
        Assert.Equal("Loop 'loop' body", Property(matmul, "scope").GetString());
        Assert.Single(Property(root, "notes").EnumerateArray());
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().Single(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
