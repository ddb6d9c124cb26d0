using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Commands;

/// <summary>inspect costs free input dimensions at their real size (issue 14.1) and warns when ONNX Runtime cannot run (14.5).</summary>
public sealed class InspectInputShapeTests : TempFolderTest
{
    private static string Line(string text, string label) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));

    [Fact]
    public void FreeSpatialModel_WithoutAShape_IsADA3503AskingForOne()
    {
        var path = WriteFile("free.onnx", RealWorldTinyModels.FreeSpatialCnn().ToBytes());

        var result = CliRunner.Run("inspect", path, "--no-measure");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("error ADA3503", result.Error);
        Assert.Contains("--input-shape x=1x3xHxW", result.Error);
    }

    [Fact]
    public void FreeSpatialModel_WithInputShape_IsCostedAtThatShape_AndSaysSo()
    {
        var path = WriteFile("free.onnx", RealWorldTinyModels.FreeSpatialCnn().ToBytes());

        var result = CliRunner.Run("inspect", path, "--input-shape", "x=1x3x48x192", "--device", "host");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Inputs: x [N=1,3,48,192] (--input-shape)", Line(result.Output, "Inputs:"));
        Assert.Equal($"  MACs:              {792L * 48 * 192 + 16:N0}", Line(result.Output, "MACs:"));
        Assert.Contains("Measured latency", result.Output);
    }

    [Fact]
    public void HostModelOrtCannotRun_IsAWarningAndTheEstimate()
    {
        // Gather of index 5 from 4 columns: ONNX Runtime loads the model and fails only when it runs.
        var b = new GraphBuilder("bad_gather").Input("x", null, 4).Output("y", null, 1);
        b.Node("Gather", new[] { "x", b.Int64s("idx", new long[] { 5 }) }, output: "y", configure: n => n.SetInt("axis", 1), name: "gather");
        var path = WriteFile("bad.onnx", b.ToModel().ToBytes());

        var result = CliRunner.Run("inspect", path, "--device", "host");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning ADA1101: latency not measured", result.Error);
        Assert.Contains("Latency T:", result.Output);
        Assert.DoesNotContain("ADA9001", result.Error + result.Output);
    }
}
