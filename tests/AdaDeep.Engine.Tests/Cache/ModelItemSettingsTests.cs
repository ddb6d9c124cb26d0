using AdaDeep.Engine.Cache;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Cache;

/// <summary>The one mapping from an AdaDeepModel item's metadata to cache key inputs (shared by the build task and the CLI).</summary>
public sealed class ModelItemSettingsTests : IDisposable
{
    private const string Engine = "engine:test";
    private readonly string _project = Directory.CreateTempSubdirectory("adadeep-item-").FullName;

    public ModelItemSettingsTests()
    {
        Directory.CreateDirectory(Path.Combine(_project, "models"));
        TinyModels.Mlp().Save(Path.Combine(_project, "models", "mlp.onnx"));
    }

    [Fact]
    public void Metadata_is_read_trimmed_invariant_and_relative_to_the_project()
    {
        File.WriteAllText(Path.Combine(_project, "val.npz"), "data");
        var settings = Read(new()
        {
            ["Device"] = " sony-sw3 ",
            ["LatencyBudgetMs"] = " 12.5",
            ["StorageBudgetMB"] = "2",
            ["EnergyBudgetMJ"] = "",
            ["MinAccuracy"] = "0.97",
            ["Dataset"] = "val.npz",
            ["Seed"] = "7",
            ["Optimizer"] = "Greedy",
            ["TimeBudgetSeconds"] = "1e1",
        });

        Assert.True(settings.IsValid, string.Join("; ", settings.Problems));
        Assert.Equal(Path.Combine(_project, "models", "mlp.onnx"), settings.ModelPath);
        Assert.Equal("sony-sw3", settings.DeviceArgument);
        Assert.Equal(12.5, settings.LatencyBudgetMs);
        Assert.Equal(2, settings.StorageBudgetMB);
        Assert.Null(settings.EnergyBudgetMJ);
        Assert.Equal(0.97, settings.MinAccuracy);
        Assert.Equal(Path.Combine(_project, "val.npz"), settings.DatasetPath);
        Assert.Equal(7, settings.Seed);
        Assert.Equal("greedy", settings.Optimizer);
        Assert.Equal(10, settings.TimeBudgetSeconds);
        Assert.Equal("AdaDeep.mlp.onnx", settings.LogicalName);

        var inputs = settings.KeyInputs(Engine);
        Assert.Equal(CacheKey.HashFile(settings.ModelPath), inputs.ModelSha256);
        Assert.Equal(CacheKey.DeviceIdentityForCatalogId("sony-sw3"), inputs.DeviceIdentity);
        Assert.Equal(CacheKey.DatasetHash(settings.DatasetPath), inputs.DatasetHash);
        Assert.Equal(Engine, inputs.EngineVersion);
    }

    [Fact]
    public void The_same_values_written_differently_give_the_same_key()
    {
        var a = Read(new() { ["Device"] = "sony-sw3", ["LatencyBudgetMs"] = "10", ["Optimizer"] = "dqn" }).Key(Engine);
        var b = Read(new() { ["Device"] = " sony-sw3", ["LatencyBudgetMs"] = "10.000", ["Optimizer"] = "DQN " }).Key(Engine);
        var c = Read(new() { ["Device"] = "sony-sw3", ["LatencyBudgetMs"] = "1e1", ["Optimizer"] = "dqn", ["Seed"] = "" }).Key(Engine);
        var defaults = Read(new() { ["Device"] = "sony-sw3", ["LatencyBudgetMs"] = "10", ["Seed"] = "1" }).Key(Engine);
        var other = Read(new() { ["Device"] = "sony-sw3", ["LatencyBudgetMs"] = "10", ["Optimizer"] = "dqn", ["Seed"] = "2" }).Key(Engine);

        Assert.Equal(a, b);
        Assert.Equal(a, c);
        // The default seed and optimizer, given or not, are one run: the build's item defaults (Seed=1, Optimizer=dqn)
        // and a manual `adadeep compress` without --seed/--optimizer share the entry.
        Assert.Equal(a, defaults);
        Assert.NotEqual(a, other);
        Assert.NotEqual(a, Read(new() { ["Device"] = "sony-sw3", ["LatencyBudgetMs"] = "10", ["Optimizer"] = "dqn" }).Key("engine:other"));
    }

    [Fact]
    public void The_AdaDeepDevice_override_beats_Profile_which_beats_Device()
    {
        File.WriteAllText(Path.Combine(_project, "board.YML"), "devices: []");
        var metadata = new Dictionary<string, string?> { ["Device"] = "sony-sw3", ["Profile"] = "board.YML" };

        var profile = Read(metadata);
        var overridden = Read(metadata, deviceOverride: "xiaomi-mi6");
        var overriddenByProfile = Read(new() { ["Device"] = "sony-sw3" }, deviceOverride: "board.YML");

        Assert.True(profile.DeviceIsProfile);
        Assert.Equal(Path.Combine(_project, "board.YML"), profile.DeviceArgument);
        Assert.Equal("board", profile.DeviceName);
        Assert.Equal(CacheKey.DeviceIdentityForProfile(profile.DeviceArgument!), profile.KeyInputs(Engine).DeviceIdentity);
        Assert.Equal("xiaomi-mi6", overridden.DeviceArgument);
        Assert.False(overridden.DeviceIsProfile);
        Assert.Equal(profile.Key(Engine), overriddenByProfile.Key(Engine));
    }

    [Theory]
    [InlineData("Device", "", ModelItemSettings.ProblemMissingDevice, "no target device")]
    [InlineData("Device", "../etc/passwd", ModelItemSettings.ProblemInvalidDevice, "neither a catalog device id")]
    [InlineData("Profile", "missing.yaml", ModelItemSettings.ProblemProfileNotFound, "the device profile 'missing.yaml' does not exist")]
    [InlineData("LatencyBudgetMs", "0", ModelItemSettings.ProblemInvalidValue, "LatencyBudgetMs '0' is not a positive number")]
    [InlineData("StorageBudgetMB", "2,5", ModelItemSettings.ProblemInvalidValue, "StorageBudgetMB '2,5'")]
    [InlineData("MinAccuracy", "97", ModelItemSettings.ProblemInvalidValue, "MinAccuracy '97' is not a number in (0, 1]")]
    [InlineData("MaxAccuracyDrop", "1", ModelItemSettings.ProblemInvalidValue, "MaxAccuracyDrop '1'")]
    [InlineData("Seed", "-1", ModelItemSettings.ProblemInvalidValue, "Seed '-1' is not a whole number")]
    [InlineData("Optimizer", "simulated-annealing", ModelItemSettings.ProblemInvalidValue, "is not one of dqn, greedy, exhaustive, random")]
    [InlineData("Dataset", "nowhere.npz", ModelItemSettings.ProblemDatasetNotFound, "the data set 'nowhere.npz'")]
    [InlineData("LogicalName", "../escape.onnx", ModelItemSettings.ProblemInvalidLogicalName, "LogicalName '../escape.onnx' must be a plain resource name")]
    [InlineData("LogicalName", "sub/dir.onnx", ModelItemSettings.ProblemInvalidLogicalName, "no path separators")]
    public void Bad_metadata_is_a_problem_and_has_no_key(string name, string value, string kind, string message)
    {
        var metadata = new Dictionary<string, string?> { ["Device"] = "sony-sw3", [name] = value };

        var settings = Read(metadata);

        var problem = Assert.Single(settings.Problems);
        Assert.Equal(kind, problem.Kind);
        Assert.Contains(message, problem.Message);
        Assert.False(settings.IsValid);
        Assert.Throws<InvalidOperationException>(() => settings.KeyInputs(Engine));
    }

    [Fact]
    public void A_missing_model_and_both_accuracy_floors_are_problems()
    {
        var settings = ModelItemSettings.Read("models/gone.onnx",
            new Dictionary<string, string?> { ["Device"] = "host", ["MinAccuracy"] = "0.9", ["MaxAccuracyDrop"] = "0.01" }.GetValueOrDefault,
            _project, null);

        Assert.Equal(new[] { ModelItemSettings.ProblemModelNotFound, ModelItemSettings.ProblemConflictingAccuracy }, settings.Problems.Select(p => p.Kind));
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private ModelItemSettings Read(Dictionary<string, string?> metadata, string? deviceOverride = null) =>
        ModelItemSettings.Read("models/mlp.onnx", metadata.GetValueOrDefault, _project, deviceOverride);
}
