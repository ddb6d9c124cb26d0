using System.Text.Json;
using AdaDeep.Cli.Output;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Cli.Tests.Commands;

public sealed class InspectCommandTests : TempFolderTest
{
    private static string Line(string text, string label) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));

    [Fact]
    public void LeNetTotalsMatchTheAnalyzer()
    {
        var model = TinyModels.LeNetLike();
        var path = WriteFile("lenet.onnx", model.ToBytes());
        var result = CliRunner.Run("inspect", path, "--no-measure");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var analysis = ModelAnalyzer.Analyze(model);
        Assert.Equal($"  Parameters:        1,674 ({Formatting.Count(analysis.TotalParameterBytes)} bytes stored)", Line(result.Output, "Parameters:"));
        Assert.Equal("  MACs:              16,864", Line(result.Output, "MACs:"));
        Assert.Contains("conv1", result.Output);
        Assert.Contains("[1,8,6,6]", result.Output); // conv2's output shape in the table
        Assert.Contains("Device: host", result.Output);
        Assert.EndsWith("ms (kernel-table estimate on host)", Line(result.Output, "Latency T:")); // host has a measured kernel table
    }

    [Fact]
    public void ComputedWeights_AreCountedAfterTheFoldCompressWillDo()
    {
        var path = WriteFile("computed.onnx", ExportLikeModels.ComputedWeights().ToBytes());
        var result = CliRunner.Run("inspect", path, "--no-measure");

        Assert.Equal(0, result.ExitCode);
        // fc1's Reshape(Constant) weight counts already; fc2's ConstantOfShape and Transpose(Cast) weights only once folded.
        Assert.Equal("  Constant folding:  compress first folds 4 values computed from constants into initializers (8 nodes go; 67 parameters then)",
            Line(result.Output, "Constant folding:"));
    }

    [Fact]
    public void LeNet_HasNothingToFold()
    {
        var path = WriteFile("lenet.onnx", TinyModels.LeNetLike().ToBytes());

        var result = CliRunner.Run("inspect", path, "--no-measure");

        Assert.DoesNotContain("Constant folding:", result.Output);
    }

    [Fact]
    public void Mnist8TotalsAndDeviceCostsMatchTheLibraries()
    {
        var path = RepoPaths.Model("mnist-8");
        var result = CliRunner.Run("inspect", path, "--device", "sony-sw3");

        Assert.Equal(0, result.ExitCode);
        var analysis = ModelAnalyzer.Analyze(OnnxModel.Load(path));
        var costs = CostModel.Estimate(analysis, DeviceCatalog.Default.Resolve("sony-sw3"));
        Assert.Equal($"  MACs:              {Formatting.Count(analysis.TotalMacs)}", Line(result.Output, "MACs:"));
        Assert.Contains("786,560", Line(result.Output, "MACs:"));
        Assert.Contains("5,994", Line(result.Output, "Parameters:"));
        Assert.Contains($"{Formatting.Milliseconds(costs.LatencyMs)} ms", Line(result.Output, "Latency T:"));
        Assert.Contains($"{Formatting.Millijoules(costs.EnergyMJ)} mJ", Line(result.Output, "Energy E:"));
        Assert.Contains(Formatting.Count(costs.StorageBits), Line(result.Output, "Storage S:"));
        Assert.DoesNotContain("Measured latency", result.Output); // sony-sw3 is estimated, not measured
        Assert.EndsWith("ms (roofline estimate on sony-sw3)", Line(result.Output, "Latency T:"));
    }

    [Fact]
    public void JsonCarriesTheSameFiguresAsTheAnalysis()
    {
        var model = TinyModels.Mlp();
        var path = WriteFile("mlp.onnx", model.ToBytes());
        var result = CliRunner.Run("inspect", path, "--json", "--batch", "3", "--device", "xiaomi-mi6");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(3 * 56, totals.GetProperty("totalMacs").GetInt64());
        Assert.Equal(67, totals.GetProperty("totalParameters").GetInt64());
        Assert.Equal("xiaomi-mi6", json.RootElement.GetProperty("device").GetProperty("id").GetString());
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(new[] { "Gemm", "Relu", "Gemm" }, layers.Select(l => l.GetProperty("op").GetString()));
        Assert.Equal(new long[] { 3, 8 }, layers[0].GetProperty("outputShapes")[0].EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("FullyConnected", layers[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void HostMeasuresLatencyWithOnnxRuntime()
    {
        var result = CliRunner.Run("inspect", RepoPaths.Model("iris-mlp"), "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("totals").GetProperty("measuredLatencyMs").GetDouble() > 0);
    }

    [Fact]
    public void UnknownDeviceExitsWith3AndSuggestsNearNames()
    {
        var result = CliRunner.Run("inspect", RepoPaths.Model("mnist-8"), "--device", "sony-sw4");
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("adadeep: error ADA2001: unknown device 'sony-sw4'.", result.Error);
        Assert.Contains("sony-sw3", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void NotOnnxFileExitsWith2()
    {
        var path = WriteText("notes.onnx", "these are my notes, not a model\n");
        var result = CliRunner.Run("inspect", path, "--no-measure");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{path}: error ADA1002: ", result.Error);
    }

    [Fact]
    public void MissingModelExitsWith2()
    {
        var path = Path.Combine(Folder, "absent.onnx");
        var result = CliRunner.Run("inspect", path);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"{path}: error ADA1001: ", result.Error);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("inspect", "m.onnx", "--batch", "0")]
    [InlineData("inspect", "m.onnx", "--batch", "many")]
    [InlineData("inspect", "m.onnx", "--no-such-option")]
    public void UsageErrorsExitWith1(params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(1, result.ExitCode);
        Assert.NotEqual("", result.Error);
    }

    [Fact]
    public void AProfileFileWithOneDeviceIsUsedWithoutDevice()
    {
        var profile = WriteText("watch.yaml", DevicesCommandTests.WatchProfileYaml);
        var path = WriteFile("lenet.onnx", TinyModels.LeNetLike().ToBytes());
        var result = CliRunner.Run("inspect", path, "--profile", profile);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Device: my-watch (My Watch)", result.Output);

        var byPath = CliRunner.Run("inspect", path, "--device", profile);
        Assert.Equal(0, byPath.ExitCode);
        Assert.Contains("Device: my-watch", byPath.Output);
    }

    [Fact]
    public void MissingProfileFileExitsWith3()
    {
        var result = CliRunner.Run("inspect", RepoPaths.Model("mnist-8"), "--device", Path.Combine(Folder, "nope.yaml"));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("error ADA2004", result.Error);
    }

    [Fact]
    public void HelpListsTheOptions()
    {
        var result = CliRunner.Run("inspect", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--device", "--profile", "--batch", "--json", "--no-measure" })
        {
            Assert.Contains(option, result.Output);
        }
    }
}
