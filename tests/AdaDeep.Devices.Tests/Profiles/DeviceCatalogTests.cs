using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Diagnostics;

namespace AdaDeep.Devices.Tests.Profiles;

public class DeviceCatalogTests
{
    private static readonly string[] PaperDevices =
    {
        "xiaomi-redmi-3s", "xiaomi-mi-5s", "xiaomi-mi6", "huawei-pra-al00", "samsung-note5", "huawei-p9",
        "sony-sw3", "huawei-watch-h2p", "firefly-rk3399", "firefly-rk3288", "xiaomi-box-3s", "huawei-box",
    };

    private const string MyBoard = """
        id: my-board
        name: My board
        type: board
        processor: 4x Cortex-A55 @ 2.0 GHz
        dramMB: 4096
        l2CacheMB: 0.5
        batteryMAh: null
        peakGmacs: 32
        memoryBandwidthGBps: 8.5
        perLayerOverheadMs: 0.01
        """;

    [Fact]
    public void Default_loads_the_paper_devices_current_devices_and_host()
    {
        var catalog = DeviceCatalog.Default;

        Assert.Equal(17, catalog.All.Count);
        Assert.Equal(catalog.All.Count, catalog.All.Select(p => p.Id).Distinct().Count());
        Assert.Equal(PaperDevices, catalog.All.Take(12).Select(p => p.Id));
        Assert.Contains(catalog.All, p => p.Id == "raspberry-pi-5");
        Assert.Contains(catalog.All, p => p.Id == "pixel-8");
        Assert.Equal(new[] { "host" }, catalog.All.Where(p => p.MeasuresLatency).Select(p => p.Id));
        Assert.All(catalog.All, p =>
        {
            Assert.True(p.PeakMacsPerSecond > 0 && p.MemoryBandwidthBytesPerSecond > 0 && p.PerLayerOverheadMs > 0, p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.Source), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.Processor), p.Id);
            // Every catalog device states its own three energy figures (docs/devices.md "Energy"), none the paper's default.
            Assert.NotEqual(DeviceProfile.PaperEnergyPerMacPJ, p.EnergyPerMacPJ);
            Assert.NotNull(p.EnergyPerCacheBytePJ);
            Assert.NotNull(p.EnergyPerDramBytePJ);
        });
    }

    [Theory]
    // Paper Table 3: DRAM, L2 cache, battery (null = power-plug).
    [InlineData("xiaomi-redmi-3s", 3 * 1024, 2, 4100.0)]
    [InlineData("xiaomi-mi-5s", 4 * 1024, 1, 3200.0)]
    [InlineData("xiaomi-mi6", 6 * 1024, 2, 3350.0)]
    [InlineData("huawei-pra-al00", 3 * 1024, 2, 3000.0)]
    [InlineData("samsung-note5", 4 * 1024, 2, 3000.0)]
    [InlineData("huawei-p9", 3 * 1024, 4, 3000.0)]
    [InlineData("sony-sw3", 512, 1, 420.0)]
    [InlineData("huawei-watch-h2p", 768, 1, 420.0)]
    [InlineData("firefly-rk3399", 2 * 1024, 2, null)]
    [InlineData("firefly-rk3288", 2 * 1024, 8, null)]
    [InlineData("xiaomi-box-3s", 2 * 1024, 2, null)]
    [InlineData("huawei-box", 2 * 1024, 1, null)]
    public void Paper_devices_match_table_3(string id, double dramMB, double l2CacheMB, double? batteryMAh)
    {
        var device = DeviceCatalog.Default.Resolve(id);

        Assert.Equal(dramMB, device.DramMB);
        Assert.Equal(l2CacheMB, device.L2CacheMB);
        Assert.Equal(batteryMAh, device.BatteryMAh);
        Assert.Contains("Table 3", device.Source);
    }

    [Theory]
    [InlineData("xiaomi-redmi-3s", "Snapdragon 430")]
    [InlineData("xiaomi-mi-5s", "Snapdragon 821")]
    [InlineData("xiaomi-mi6", "Snapdragon 835")]
    [InlineData("huawei-pra-al00", "Kirin 655")]
    [InlineData("samsung-note5", "Exynos 7420")]
    [InlineData("huawei-p9", "Kirin 955")]
    [InlineData("sony-sw3", "Cortex-A7")]
    [InlineData("huawei-watch-h2p", "Wear 2100")]
    [InlineData("firefly-rk3399", "Cortex-A72")]
    [InlineData("firefly-rk3288", "Cortex-A17")]
    [InlineData("xiaomi-box-3s", "S905")]
    [InlineData("huawei-box", "Hi3798M")]
    public void Paper_devices_name_the_table_3_processor(string id, string processor) =>
        Assert.Contains(processor, DeviceCatalog.Default.Resolve(id).Processor);

    [Fact]
    public void Every_roofline_figure_in_the_embedded_catalog_carries_a_comment()
    {
        using var stream = typeof(DeviceCatalog).Assembly.GetManifestResourceStream(DeviceCatalog.EmbeddedResourceName)!;
        var lines = new StreamReader(stream).ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        var checkedFigures = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("peakGmacs:") || line.StartsWith("memoryBandwidthGBps:") || line.StartsWith("perLayerOverheadMs:"))
            {
                // The source is on the line itself or in the comment block right above it.
                Assert.True(line.Contains('#') || lines[i - 1].Trim().StartsWith('#'), $"catalog line {i + 1} has no source comment: {line}");
                checkedFigures++;
            }
        }

        Assert.Equal(3 * DeviceCatalog.Default.All.Count, checkedFigures);
    }

    [Fact]
    public void Resolve_of_an_unknown_id_lists_the_near_names_and_the_devices_command()
    {
        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.Default.Resolve("sony-sw2"));

        Assert.Equal(ErrorCodes.DeviceUnknown, error.Code);
        Assert.Contains("'sony-sw2'", error.Message);
        Assert.Contains("sony-sw3", error.Message);
        Assert.Contains("adadeep devices", error.Message);
    }

    [Theory]
    [InlineData("redmi", "xiaomi-redmi-3s")]
    [InlineData("rk3399", "firefly-rk3399")]
    [InlineData("pi5", "raspberry-pi-5")]
    [InlineData("xiaomi-mi-6", "xiaomi-mi6")]
    public void Resolve_suggests_by_substring_and_edit_distance(string wanted, string suggested)
    {
        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.Default.Resolve(wanted));
        Assert.Contains(suggested, error.Message);
    }

    [Fact]
    public void Resolve_of_a_name_nothing_like_any_device_still_points_at_the_devices_command()
    {
        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.Default.Resolve("zzzzzzzzzzzzzzzzzzz"));
        Assert.Equal(ErrorCodes.DeviceUnknown, error.Code);
        Assert.DoesNotContain("Did you mean", error.Message);
        Assert.Contains("adadeep devices", error.Message);
    }

    [Fact]
    public void Resolve_ignores_case_of_ids() =>
        Assert.Equal("sony-sw3", DeviceCatalog.Default.Resolve("Sony-SW3").Id);

    [Fact]
    public void Resolve_of_a_yaml_path_loads_that_file()
    {
        using var temp = new TempFiles();
        var path = temp.Write("board.yml", MyBoard);

        var device = DeviceCatalog.Default.Resolve(path);

        Assert.Equal("my-board", device.Id);
        Assert.Equal(32e9, device.PeakMacsPerSecond);
        Assert.Equal(8.5e9, device.MemoryBandwidthBytesPerSecond);
        Assert.Null(device.BatteryMAh);
    }

    [Fact]
    public void Resolve_of_a_missing_yaml_file_is_profile_not_found()
    {
        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.Default.Resolve("/nonexistent/dir/device.yaml"));
        Assert.Equal(ErrorCodes.ProfileNotFound, error.Code);
        Assert.Equal("/nonexistent/dir/device.yaml", error.File);
    }

    [Fact]
    public void User_profiles_add_devices_and_override_by_id_in_place()
    {
        using var temp = new TempFiles();
        var added = temp.Write("board.yaml", MyBoard);
        var overriding = temp.Write("sw3.yaml", """
            - id: sony-sw3
              name: Sony SmartWatch 3 (measured)
              type: wearable
              dramMB: 512
              l2CacheMB: 1
              batteryMAh: 400
              peakGmacs: 2.5
              memoryBandwidthGBps: 2.1
              perLayerOverheadMs: 0.05
              operatorEfficiency: { Conv: 0.4, Gemm: 0.7 }
            """);

        var catalog = DeviceCatalog.WithProfiles(new[] { added, overriding });

        Assert.Equal(DeviceCatalog.Default.All.Count + 1, catalog.All.Count);
        Assert.Equal("my-board", catalog.All[^1].Id);
        var sw3 = catalog.Resolve("sony-sw3");
        Assert.Equal(400, sw3.BatteryMAh);
        Assert.Equal(2.5e9, sw3.PeakMacsPerSecond);
        Assert.Equal(0.4, sw3.OperatorEfficiency["Conv"]);
        Assert.Equal(DeviceCatalog.Default.All.ToList().FindIndex(p => p.Id == "sony-sw3"), catalog.All.ToList().FindIndex(p => p.Id == "sony-sw3"));
        Assert.Equal(420, DeviceCatalog.Default.Resolve("sony-sw3").BatteryMAh); // the default catalog is untouched
    }

    [Fact]
    public void A_user_file_may_use_the_catalog_schema()
    {
        using var temp = new TempFiles();
        var path = temp.Write("catalog.yaml", "devices:\n" + string.Join('\n', MyBoard.Split('\n').Select((l, i) => (i == 0 ? "  - " : "    ") + l)));

        var profiles = DeviceCatalog.LoadProfilesFile(path);

        Assert.Equal("my-board", Assert.Single(profiles).Id);
        Assert.Equal("my-board", DeviceCatalog.LoadProfileFile(path).Id);
    }

    [Fact]
    public void LoadProfileFile_of_a_file_with_several_profiles_says_which()
    {
        using var temp = new TempFiles();
        var second = MyBoard.Replace("id: my-board", "id: my-board-2");
        var path = temp.Write("two.yaml", Indented(MyBoard) + "\n" + Indented(second));

        var error = Assert.Throws<AdaDeepException>(() => DeviceCatalog.LoadProfileFile(path));

        Assert.Equal(ErrorCodes.ProfileMalformed, error.Code);
        Assert.Contains("my-board, my-board-2", error.Message);
        Assert.Equal(path, error.File);
        Assert.Equal(2, DeviceCatalog.LoadProfilesFile(path).Count);
    }

    private static string Indented(string profile) =>
        string.Join('\n', profile.Split('\n').Select((l, i) => (i == 0 ? "- " : "  ") + l));

    [Fact]
    public void The_ids_the_build_checks_items_against_are_the_catalogs()
    {
        // AdaDeep.Contracts embeds the same catalog.yaml, so the MSBuild task rejects a typo before it starts the tool.
        Assert.Equal(DeviceCatalog.Default.Ids, AdaDeep.Engine.Cache.CatalogDevices.All);
        Assert.True(AdaDeep.Engine.Cache.CatalogDevices.Contains("Sony-SW3"));
        Assert.False(AdaDeep.Engine.Cache.CatalogDevices.Contains("sony-sw2"));
    }
}
