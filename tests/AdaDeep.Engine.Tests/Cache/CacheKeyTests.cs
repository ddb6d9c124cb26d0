using AdaDeep.Engine.Cache;

namespace AdaDeep.Engine.Tests.Cache;

public class CacheKeyTests
{
    private static CacheKeyInputs Baseline() => new()
    {
        EngineVersion = "engine:1",
        ModelSha256 = new string('a', 64),
        DeviceIdentity = CacheKey.DeviceIdentityForCatalogId("sony-sw3"),
        LatencyBudgetMs = 10,
        StorageBudgetMB = 2,
        EnergyBudgetMJ = null,
        MinAccuracy = 0.97,
        MaxAccuracyDrop = null,
        DatasetHash = "file:" + new string('b', 64),
        Optimizer = "dqn",
        Seed = 1,
        TimeBudgetSeconds = 90,
        Weights = null,
    };

    [Fact]
    public void Key_is_stable_for_equal_inputs_and_well_formed()
    {
        var first = CacheKey.Compute(Baseline());
        var second = CacheKey.Compute(Baseline());
        Assert.Equal(first, second);
        Assert.True(CacheKey.IsValidKey(first));
    }

    [Fact]
    public void Equal_numbers_written_differently_give_the_same_key()
    {
        var a = Baseline();
        var b = Baseline();
        b.LatencyBudgetMs = double.Parse("1e1", System.Globalization.CultureInfo.InvariantCulture);
        b.Optimizer = " DQN ";
        Assert.Equal(CacheKey.Compute(a), CacheKey.Compute(b));
    }

    public static TheoryData<string> ChangedFields() => new()
    {
        "engine", "model", "device", "latency", "latency-absent", "storage", "energy", "min-accuracy",
        "max-accuracy-drop", "dataset", "dataset-absent", "optimizer", "seed", "time", "weights", "fine-tune-epochs",
        "search-settings",
    };

    [Theory]
    [MemberData(nameof(ChangedFields))]
    public void Key_changes_when_any_input_changes(string field)
    {
        var changed = Baseline();
        switch (field)
        {
            case "engine": changed.EngineVersion = "engine:2"; break;
            case "model": changed.ModelSha256 = new string('c', 64); break;
            case "device": changed.DeviceIdentity = CacheKey.DeviceIdentityForCatalogId("xiaomi-mi6"); break;
            case "latency": changed.LatencyBudgetMs = 10.5; break;
            case "latency-absent": changed.LatencyBudgetMs = null; break;
            case "storage": changed.StorageBudgetMB = 3; break;
            case "energy": changed.EnergyBudgetMJ = 1; break;
            case "min-accuracy": changed.MinAccuracy = 0.98; break;
            case "max-accuracy-drop": changed.MaxAccuracyDrop = 0.01; break;
            case "dataset": changed.DatasetHash = "file:" + new string('d', 64); break;
            case "dataset-absent": changed.DatasetHash = null; break;
            case "optimizer": changed.Optimizer = "greedy"; break;
            case "seed": changed.Seed = 2; break;
            case "time": changed.TimeBudgetSeconds = 60; break;
            case "weights": changed.Weights = "mu1=0.5;mu2=0.5"; break;
            case "fine-tune-epochs": changed.FineTuneEpochs = 5; break;
            case "search-settings": changed.SearchSettings = CacheKey.FormatSettings(new Dictionary<string, string?> { ["episodes"] = "100" }); break;
            default: throw new ArgumentException(field);
        }

        Assert.NotEqual(CacheKey.Compute(Baseline()), CacheKey.Compute(changed));
    }

    [Fact]
    public void Fields_cannot_bleed_into_each_other()
    {
        // Length prefixes: moving text from one field to the next must change the key.
        var a = Baseline();
        a.Optimizer = "dqn";
        a.Weights = "x";
        var b = Baseline();
        b.Optimizer = "dqnx";
        b.Weights = null;
        Assert.NotEqual(CacheKey.Compute(a), CacheKey.Compute(b));
    }

    [Fact]
    public void Missing_required_field_is_rejected()
    {
        var inputs = Baseline();
        inputs.DeviceIdentity = "";
        Assert.Throws<ArgumentException>(() => CacheKey.Compute(inputs));
    }

    [Fact]
    public void Numbers_use_invariant_culture_and_fixed_decimals()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("10.500000000", CacheKey.FormatNumber(10.5));
            Assert.Equal("-", CacheKey.FormatNumber(null));
            Assert.Throws<ArgumentOutOfRangeException>(() => CacheKey.FormatNumber(double.NaN));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Profile_identity_follows_the_bytes_not_the_path()
    {
        using var dir = new ScratchFolder();
        var one = dir.File("a/watch.yaml", "id: watch\npeak: 1\n");
        var two = dir.File("b/other-name.yaml", "id: watch\npeak: 1\n");
        var three = dir.File("c/watch.yaml", "id: watch\npeak: 2\n");
        Assert.Equal(CacheKey.DeviceIdentityForProfile(one), CacheKey.DeviceIdentityForProfile(two));
        Assert.NotEqual(CacheKey.DeviceIdentityForProfile(one), CacheKey.DeviceIdentityForProfile(three));
        Assert.NotEqual(CacheKey.DeviceIdentityForCatalogId("watch"), CacheKey.DeviceIdentityForProfile(one));
        Assert.NotEqual(CacheKey.DeviceIdentityForCatalogId("watch", new string('1', 64)), CacheKey.DeviceIdentityForCatalogId("watch", new string('2', 64)));
    }

    [Fact]
    public void Dataset_hash_covers_every_file_of_a_folder_in_sorted_order()
    {
        using var dir = new ScratchFolder();
        dir.File("data/b.bin", new byte[] { 2 });
        dir.File("data/a.bin", new byte[] { 1 });
        dir.File("data/sub/c.bin", new byte[] { 3 });
        var folder = System.IO.Path.Combine(dir.Path, "data");
        var before = CacheKey.DatasetHash(folder);
        Assert.StartsWith("folder:", before);
        Assert.Equal(before, CacheKey.DatasetHash(folder));

        dir.File("data/sub/c.bin", new byte[] { 4 });
        var changedContent = CacheKey.DatasetHash(folder);
        Assert.NotEqual(before, changedContent);

        File.Move(System.IO.Path.Combine(folder, "a.bin"), System.IO.Path.Combine(folder, "a2.bin"));
        Assert.NotEqual(changedContent, CacheKey.DatasetHash(folder));

        var file = dir.File("single.npz", new byte[] { 9, 9 });
        Assert.StartsWith("file:", CacheKey.DatasetHash(file));
        Assert.Null(CacheKey.DatasetHash(null));
        Assert.Throws<FileNotFoundException>(() => CacheKey.DatasetHash(System.IO.Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void Engine_identity_covers_the_tool_assemblies_and_the_numeric_runtimes_only()
    {
        using var dir = new ScratchFolder();
        dir.File("adadeep.dll", new byte[] { 1 });
        dir.File("AdaDeep.Engine.dll", new byte[] { 2 });
        dir.File("TorchSharp.dll", new byte[] { 3 });
        dir.File("YamlDotNet.dll", new byte[] { 6 });
        dir.File("libtorch_cpu.so", new byte[] { 7, 7 });
        var before = CacheKey.EngineIdentity(dir.Path);
        Assert.Equal(before, CacheKey.EngineIdentity(dir.Path));

        // A library that does not compute anything the output depends on is left out.
        dir.File("YamlDotNet.dll", new byte[] { 8 });
        Assert.Equal(before, CacheKey.EngineIdentity(dir.Path));

        // Another TorchSharp or ONNX Runtime release is another engine.
        dir.File("TorchSharp.dll", new byte[] { 4 });
        var newTorchSharp = CacheKey.EngineIdentity(dir.Path);
        Assert.NotEqual(before, newTorchSharp);

        // Native libraries count by name and size (hashing libtorch would cost seconds per build).
        dir.File("libtorch_cpu.so", new byte[] { 7, 7, 7 });
        var newLibtorch = CacheKey.EngineIdentity(dir.Path);
        Assert.NotEqual(newTorchSharp, newLibtorch);
        Directory.CreateDirectory(System.IO.Path.Combine(dir.Path, "runtimes", "linux-x64", "native"));
        dir.File(System.IO.Path.Combine("runtimes", "linux-x64", "native", "libonnxruntime.so"), new byte[] { 1 });
        Assert.NotEqual(newLibtorch, CacheKey.EngineIdentity(dir.Path));

        dir.File("AdaDeep.Engine.dll", new byte[] { 5 });
        Assert.NotEqual(newLibtorch, CacheKey.EngineIdentity(dir.Path));
    }

    [Fact]
    public void Platform_names_os_and_architecture()
    {
        Assert.Matches("^(linux|windows|osx|other)-[a-z0-9]+$", CacheKey.Platform());
    }

    [Fact]
    public void File_hash_is_sha256_hex()
    {
        using var dir = new ScratchFolder();
        var path = dir.File("abc.txt", "abc");
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", CacheKey.HashFile(path));
        Assert.Equal(CacheKey.HashFile(path), CacheKey.HashBytes(System.Text.Encoding.ASCII.GetBytes("abc")));
    }

    [Fact]
    public void Settings_text_is_canonical_and_absent_when_nothing_is_set()
    {
        var a = CacheKey.FormatSettings(new Dictionary<string, string?> { ["episodes"] = "100", ["alpha"] = "2", ["unset"] = null });
        var b = CacheKey.FormatSettings(new Dictionary<string, string?> { ["alpha"] = "2", ["episodes"] = "100" });

        Assert.Equal("alpha=2;episodes=100", a);
        Assert.Equal(a, b);
        Assert.Null(CacheKey.FormatSettings(new Dictionary<string, string?> { ["episodes"] = null }));
        Assert.Null(CacheKey.FormatSettings(new Dictionary<string, string?>()));
    }

    [Theory]
    [InlineData("", "1")]
    [InlineData("a=b", "1")]
    [InlineData("a;b", "1")]
    [InlineData("a", "1;b=2")]
    public void Settings_that_would_read_ambiguously_are_rejected(string name, string value)
    {
        Assert.Throws<ArgumentException>(() => CacheKey.FormatSettings(new Dictionary<string, string?> { [name] = value }));
    }

    [Fact]
    public void Fine_tune_epochs_and_search_settings_are_separate_fields()
    {
        // The same text in two different fields must not give one key (the optimizer once carried both).
        var inOptimizer = Baseline();
        inOptimizer.Optimizer = "dqn|episodes=100";
        var inSettings = Baseline();
        inSettings.SearchSettings = "episodes=100";
        var epochs = Baseline();
        epochs.FineTuneEpochs = 100;

        Assert.Equal(3, new[] { inOptimizer, inSettings, epochs }.Select(CacheKey.Compute).Distinct().Count());
    }
}
