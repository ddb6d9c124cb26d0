using AdaDeep.Cli.Commands;
using AdaDeep.Cli.Project;
using AdaDeep.Engine.Cache;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>
/// `adadeep warm` around its engine: which keys it fills, what it skips, how failures and a foreign engine are
/// reported. The engine is replaced by <see cref="RecordingCompressor"/> here; WarmEndToEndTests runs the real one.
/// </summary>
public class WarmCommandTests
{
    private const string Item = """<AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="10" />""";

    [Fact]
    public void Warm_fills_each_missing_key_once_under_the_listed_key_and_skips_cached_keys()
    {
        // Two items with the same model and settings (only the resource name differs) share one key.
        using var project = new TestProject(Item + Item.Replace("/>", "LogicalName=\"Copy.onnx\" />"));
        var devices = new[] { "sony-sw3", "xiaomi-mi6" };
        var before = project.Plan(devices: devices);
        Assert.Equal(4, before.Models.Count);
        Assert.Equal(2, before.Models.Select(m => m.Key).Distinct().Count());
        var compressor = new RecordingCompressor();

        var (exit, output, error) = Warm(project, compressor, devices);

        Assert.True(exit == 0, error);
        Assert.Equal(new[] { "sony-sw3", "xiaomi-mi6" }, compressor.Devices);
        Assert.Contains("adadeep: [1/2] models/mlp.onnx → sony-sw3: key " + before.Models[0].Key![..12], output);
        Assert.Contains("adadeep: [2/2] models/mlp.onnx → xiaomi-mi6: 50% compress: half way", output);
        Assert.Contains("4 model variant(s), 2 cache key(s): 2 compressed, 0 already cached, 0 failed", output);
        var after = project.Plan(devices: devices);
        Assert.All(after.Models, m => Assert.True(m.IsCached));
        Assert.Equal(before.Models.Select(m => m.Key), after.Models.Select(m => m.Key));
        var entry = after.Models[1].Cache!;
        Assert.Equal(new[] { "model.onnx", "result.json" }, entry.Files.Keys.Order());

        var (again, output2, _) = Warm(project, compressor, devices);

        Assert.Equal(0, again);
        Assert.Equal(2, compressor.Devices.Count);
        Assert.Contains("0 compressed, 2 already cached, 0 failed", output2);
    }

    [Fact]
    public void A_failed_model_is_reported_with_its_code_and_the_others_are_still_warmed()
    {
        using var project = new TestProject(Item);
        var compressor = new RecordingCompressor { FailOn = "sony-sw3" };

        var (exit, output, error) = Warm(project, compressor, "sony-sw3", "xiaomi-mi6");

        Assert.Equal(3, exit);
        Assert.Contains("error ADA2001: no such device here", error);
        Assert.Contains("→ sony-sw3: failed (ADA2001)", output);
        Assert.Contains("1 compressed, 0 already cached, 1 failed", output);
        Assert.Equal(new[] { false, true }, project.Plan(devices: new[] { "sony-sw3", "xiaomi-mi6" }).Models.Select(m => m.IsCached));
    }

    [Fact]
    public void Warm_refuses_when_the_build_runs_another_engine()
    {
        using var project = new TestProject(Item, "<AdaDeepToolPath>../tool/adadeep</AdaDeepToolPath>");
        project.WriteFailingTool(Path.Combine(project.Root, "tool"));
        var compressor = new RecordingCompressor();

        var e = Assert.Throws<AdaDeepException>(() => Warm(project, compressor));

        Assert.Equal(ErrorCodes.ProjectEngineMismatch, e.Code);
        Assert.Equal(7, e.ExitCode);
        Assert.Contains("entries warmed here would never be hit", e.Message);
        Assert.Empty(compressor.Devices);
    }

    [Fact]
    public void Invalid_items_stop_warm_before_anything_is_compressed()
    {
        using var project = new TestProject(Item + """<AdaDeepModel Include="models/gone.onnx" Device="host" />""");
        var compressor = new RecordingCompressor();

        var (exit, _, error) = Warm(project, compressor);

        Assert.Equal(7, exit);
        Assert.Contains("error ADA6004", error);
        Assert.Empty(compressor.Devices);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 7)]
    public void A_native_TorchSharp_failure_is_retried_once_then_a_coded_error_without_the_native_stack(int nativeFailures, int expectedExit)
    {
        using var project = new TestProject(Item);
        var compressor = new RecordingCompressor { NativeFailures = nativeFailures };

        var (exit, output, error) = Warm(project, compressor, "sony-sw3");

        Assert.Equal(expectedExit, exit);
        Assert.Equal(Math.Min(nativeFailures + 1, 2), compressor.Devices.Count);
        Assert.Contains("retrying once", output);
        if (expectedExit != 0)
        {
            Assert.Contains("error ADA6102", error);
            Assert.Contains("addcmul_", error);
            Assert.DoesNotContain("frame #0", error);
            Assert.DoesNotContain("ADA9001", error);
        }
        else
        {
            Assert.True(project.Plan(devices: new[] { "sony-sw3" }).Models[0].IsCached);
        }
    }

    private static (int Exit, string Output, string Error) Warm(TestProject project, IModelCompressor compressor, params string[] devices)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var selection = new ProjectSelection(project.ProjectPath, null, devices, new Dictionary<string, string>());
        var exit = WarmCommand.Run(selection, "lines", compressor, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Stands in for the engine: "compresses" by copying the model and writing a result, and records the devices.</summary>
    private sealed class RecordingCompressor : IModelCompressor
    {
        public List<string> Devices { get; } = new();

        public string? FailOn { get; init; }

        /// <summary>How many calls fail as TorchSharp does on a native error (ExternalException with the C++ stack).</summary>
        public int NativeFailures { get; set; }

        public CompressedFiles Compress(ModelVariant model, string cacheRoot, string workDirectory, Action<double, string> progress, CancellationToken cancellation)
        {
            Devices.Add(model.Device);
            progress(50, "compress: half way");
            if (NativeFailures-- > 0)
            {
                File.WriteAllText(Path.Combine(workDirectory, "partial.onnx"), "half");
                throw new System.Runtime.InteropServices.ExternalException("addcmul_(): expected both inputs to be on same device... toFloat\nException raised from toFloat at c10/core/Scalar.h:74\nframe #0: c10::Error::Error");
            }

            if (model.Device == FailOn)
            {
                throw new AdaDeepException(ErrorCodes.DeviceUnknown, "no such device here", model.Settings.ModelPath);
            }

            var output = Path.Combine(workDirectory, CacheStore.ModelFileName);
            File.Copy(model.Settings.ModelPath, output);
            var result = Path.Combine(workDirectory, "result.json");
            File.WriteAllText(result, $"{{\"outputSha256\": \"{CacheKey.HashFile(output)}\", \"device\": \"{model.Device}\"}}");
            return new CompressedFiles(new Dictionary<string, string> { [CacheStore.ModelFileName] = output, ["result.json"] = result }, null, Array.Empty<string>());
        }
    }
}
