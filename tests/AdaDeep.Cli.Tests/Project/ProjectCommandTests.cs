using System.Text.Json;
using AdaDeep.Engine.Cache;

namespace AdaDeep.Cli.Tests.Project;

/// <summary>`adadeep` with no command: the project listing.</summary>
public class ProjectCommandTests
{
    private const string Items = """<AdaDeepModel Include="models/mlp.onnx" Device="sony-sw3" LatencyBudgetMs="10" MinAccuracy="0.9" Dataset="data.npz" />""";

    [Fact]
    public void The_listing_shows_device_budgets_dataset_key_and_cache_status()
    {
        using var project = new TestProject(Items);
        File.WriteAllText(Path.Combine(project.ProjectDirectory, "data.npz"), "hashed only");
        var key = project.Plan().Models[0].Key!;

        var result = CliRunner.Run("--project", project.ProjectDirectory, "-d", "sony-sw3;xiaomi-mi6", "-p:Unused=1", "-c", "Release");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Project: {project.ProjectPath}", result.Output);
        Assert.Contains("Configuration: Release; device variants: sony-sw3, xiaomi-mi6", result.Output);
        Assert.Contains($"Cache: {project.CacheDirectory}", result.Output);
        var rows = result.Output.Split('\n').Where(l => l.StartsWith("models/mlp.onnx", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"^models/mlp\.onnx\s+sony-sw3\s+≤ 10 ms\s+-\s+-\s+≥ 0\.9\s+data\.npz\s+dqn, seed 1\s+" + key[..12] + @"\s+no$", rows[0].TrimEnd());
        Assert.Contains("xiaomi-mi6", rows[1]);
        Assert.Contains("2 model variant(s): 0 cached, 2 to compress", result.Output);
    }

    [Fact]
    public void Json_gives_full_keys_and_a_published_entry_reads_as_cached()
    {
        using var project = new TestProject(Items.Replace(" Dataset=\"data.npz\"", ""));
        var listed = Json(CliRunner.Run("--project", project.ProjectPath, "--json"));
        var model = listed.GetProperty("models")[0];
        var key = model.GetProperty("key").GetString()!;
        Assert.Equal("missing", model.GetProperty("cache").GetString());
        Assert.Equal(project.Plan().Models[0].Key, key);

        var compressed = Path.Combine(project.Root, "compressed.onnx");
        File.Copy(Path.Combine(project.ProjectDirectory, "models", "mlp.onnx"), compressed);
        var result = Path.Combine(project.Root, "result.json");
        File.WriteAllText(result, "{\"budgetsMet\": true}");
        CacheStore.Open(project.CacheDirectory).Publish(key, new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = compressed,
            [CacheStore.ResultJsonFileName] = result,
        });

        var after = Json(CliRunner.Run("--project", project.ProjectPath, "--json")).GetProperty("models")[0];
        Assert.Equal("cached", after.GetProperty("cache").GetString());
        Assert.Equal(Path.Combine(project.CacheDirectory, "v1", key), after.GetProperty("cacheEntry").GetString());
        Assert.Contains("1 cached, 0 to compress", CliRunner.Run("--project", project.ProjectPath).Output);
    }

    [Fact]
    public void Listing_a_damaged_entry_leaves_it_untouched()
    {
        using var project = new TestProject(Items.Replace(" Dataset=\"data.npz\"", ""));
        var key = project.Plan().Models[0].Key!;
        var compressed = Path.Combine(project.Root, "compressed.onnx");
        File.WriteAllBytes(compressed, new byte[] { 1, 2, 3 });
        var entry = CacheStore.Open(project.CacheDirectory).Publish(key, new Dictionary<string, string> { [CacheStore.ModelFileName] = compressed });
        File.WriteAllBytes(entry.ModelPath, new byte[] { 9, 9, 9 });
        var touched = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        Directory.SetLastWriteTimeUtc(entry.Directory, touched);

        var result = CliRunner.Run("--project", project.ProjectPath);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"\s+damaged\r?\n", result.Output);
        // Unlike CacheStore.TryGet, the listing neither removes the damaged entry nor refreshes its last-used time.
        Assert.True(File.Exists(entry.ModelPath));
        Assert.Equal(touched, Directory.GetLastWriteTimeUtc(entry.Directory));
    }

    [Fact]
    public void An_entry_without_a_result_document_is_listed_as_incomplete()
    {
        // The build task does not use such an entry (an older engine's): it compresses again.
        using var project = new TestProject(Items.Replace(" Dataset=\"data.npz\"", ""));
        var key = project.Plan().Models[0].Key!;
        CacheStore.Open(project.CacheDirectory).Publish(key, new Dictionary<string, string>
        {
            [CacheStore.ModelFileName] = Path.Combine(project.ProjectDirectory, "models", "mlp.onnx"),
        });

        var result = CliRunner.Run("--project", project.ProjectPath);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"\s+incomplete\r?\n", result.Output);
        Assert.Contains("0 cached, 1 to compress", result.Output);
    }

    [Fact]
    public void A_missing_model_is_listed_as_invalid_and_fails_with_ADA6004()
    {
        using var project = new TestProject("""<AdaDeepModel Include="models/gone.onnx" Device="sony-sw3" />""");

        var result = CliRunner.Run("--project", project.ProjectPath);

        Assert.Equal(7, result.ExitCode);
        Assert.Matches(@"models/gone\.onnx\s+sony-sw3.*\s+-\s+invalid", result.Output);
        Assert.Contains($"{project.ProjectPath}: error ADA6004: AdaDeepModel 'models/gone.onnx': the model file 'models/gone.onnx'", result.Error);
    }

    [Fact]
    public void A_project_without_items_says_so()
    {
        using var project = new TestProject("");

        var result = CliRunner.Run("--project", project.ProjectPath);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("The project declares no AdaDeepModel items.", result.Output);
    }

    [Fact]
    public void A_property_without_a_value_is_a_usage_error()
    {
        var result = CliRunner.Run("-p:NoEquals");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'NoEquals' is not Name=Value", result.Error);
    }

    [Fact]
    public void Help_shows_the_project_options_and_the_project_commands()
    {
        var result = CliRunner.Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var text in new[] { "--project", "--devices", "--configuration", "--property", "warm", "report" })
        {
            Assert.Contains(text, result.Output);
        }
    }

    private static JsonElement Json(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement;
    }
}
