using System.Text.Json;
using AdaDeep.Devices.Profiles;

namespace AdaDeep.Cli.Tests.Commands;

public sealed class DevicesCommandTests : TempFolderTest
{
    /// <summary>A user profile in the catalog's YAML schema (docs/devices.md).</summary>
    public const string WatchProfileYaml = """
        id: my-watch
        name: My Watch
        type: watch
        processor: Example quad Cortex-A7
        dramMB: 512
        l2CacheMB: 0.5
        batteryMAh: 400
        peakGmacs: 4.8
        memoryBandwidthGBps: 3.2
        perLayerOverheadMs: 0.02
        source: "test fixture"
        """;

    [Fact]
    public void ListsTheWholeCatalog()
    {
        var result = CliRunner.Run("devices");
        Assert.Equal(0, result.ExitCode);
        foreach (var device in DeviceCatalog.Default.All)
        {
            Assert.Contains(device.Id, result.Output);
        }

        Assert.Contains($"{DeviceCatalog.Default.All.Count} devices.", result.Output);
    }

    [Fact]
    public void AddsUserProfiles()
    {
        var profile = WriteText("watch.yaml", WatchProfileYaml);
        var result = CliRunner.Run("devices", "--profile", profile, "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var ids = json.RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(DeviceCatalog.Default.All.Count + 1, ids.Count);
        Assert.Equal("my-watch", ids[^1]);
        Assert.Contains("sony-sw3", ids);
    }

    [Fact]
    public void MalformedProfileExitsWith3()
    {
        var profile = WriteText("broken.yaml", "id: [unclosed\n");
        var result = CliRunner.Run("devices", "--profile", profile);
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"{profile}: error ADA2", result.Error);
    }
}
