using AdaDeep.Compression.FineTuning;
using AdaDeep.Engine.Cache;
using AdaDeep.Engine.Pipeline;
using AdaDeep.Onnx.Model;
using AdaDeep.TestUtilities;

namespace AdaDeep.Engine.Tests.Pipeline;

/// <summary>
/// The CLI's key (EngineCacheKey, from a request) against the build task's (ModelItemSettings.Key, from an item): the
/// same item gives the same key, and the CLI-only settings (--episodes, --fine-tune-epochs) change it only when set.
/// </summary>
public sealed class EngineCacheKeyTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("adadeep-key-").FullName;
    private readonly OnnxModel _model = TinyModels.Mlp();

    public EngineCacheKeyTests()
    {
        Directory.CreateDirectory(Path.Combine(_project, "models"));
        _model.Save(Path.Combine(_project, "models", "mlp.onnx"));
        File.WriteAllText(Path.Combine(_project, "val.npz"), "data");
    }

    private static string EngineIdentity => CacheKey.EngineIdentity(AppContext.BaseDirectory);

    [Fact]
    public void The_CLI_key_of_an_item_at_default_settings_is_the_build_task_key()
    {
        var item = Item();

        Assert.Equal(item.Key(EngineIdentity), EngineCacheKey.For(RequestFor(item), _model));
        Assert.Equal(item.Key(EngineIdentity),
            EngineCacheKey.For(RequestFor(item) with { FineTuneEpochs = CompressRequest.DefaultFineTuneEpochs }, _model));
        var inputs = EngineCacheKey.Inputs(RequestFor(item), _model);
        Assert.Null(inputs.FineTuneEpochs);
        Assert.Null(inputs.SearchSettings);
    }

    [Fact]
    public void Episodes_change_the_key_through_the_search_settings_only()
    {
        var item = Item();
        var plain = EngineCacheKey.Inputs(RequestFor(item), _model);
        var hundred = EngineCacheKey.Inputs(RequestFor(item) with { Episodes = 100 }, _model);
        var other = EngineCacheKey.Inputs(RequestFor(item) with { Episodes = 120 }, _model);

        Assert.Equal("episodes=100", hundred.SearchSettings);
        Assert.Equal(plain.Optimizer, hundred.Optimizer);
        Assert.Null(hundred.FineTuneEpochs);
        Assert.Equal(3, new[] { plain, hundred, other }.Select(CacheKey.Compute).Distinct().Count());
    }

    [Fact]
    public void Techniques_and_shared_weights_change_the_key_only_when_set()
    {
        var item = Item();
        var plain = EngineCacheKey.Inputs(RequestFor(item), _model);
        var levels = EngineCacheKey.Inputs(RequestFor(item) with { Techniques = new[] { "W3@90", "W3@95" } }, _model);
        var shared = EngineCacheKey.Inputs(RequestFor(item) with { WeightSharing = CompressRequest.ParseWeightSharing("5,8") }, _model);
        var shared4 = EngineCacheKey.Inputs(RequestFor(item) with { WeightSharing = CompressRequest.ParseWeightSharing("4") }, _model);

        Assert.Null(plain.SearchSettings);
        Assert.Contains("techniques=W3@90,W3@95", levels.SearchSettings);
        Assert.Contains("shared-weights=fc5-conv8", shared.SearchSettings);
        Assert.Equal(4, new[] { plain, levels, shared, shared4 }.Select(CacheKey.Compute).Distinct().Count());
    }

    [Fact]
    public void Prune_steps_change_the_key_only_when_set()
    {
        var item = Item();
        var plain = EngineCacheKey.Inputs(RequestFor(item), _model);
        var four = EngineCacheKey.Inputs(RequestFor(item) with { PruneSteps = 4 }, _model);
        var one = EngineCacheKey.Inputs(RequestFor(item) with { PruneSteps = 1 }, _model);

        Assert.Null(plain.SearchSettings);
        Assert.Equal("prune_steps=4", four.SearchSettings);
        Assert.Equal(3, new[] { plain, four, one }.Select(CacheKey.Compute).Distinct().Count());
    }

    [Theory]
    [InlineData("distillation_weight", "distillation_weight=0.000000000")]
    [InlineData("fine_tune_schedule", "fine_tune_schedule=cosine")]
    [InlineData("search_fine_tune_samples", "search_fine_tune_samples=4096")]
    public void A_fine_tune_setting_changes_the_key_only_away_from_its_default(string setting, string expected)
    {
        var request = RequestFor(Item());
        var (atDefault, changed) = setting switch
        {
            "distillation_weight" => (request with { DistillationWeight = CompressRequest.DefaultDistillationWeight }, request with { DistillationWeight = 0 }),
            "fine_tune_schedule" => (request with { FineTuneSchedule = LearningRateSchedule.Constant }, request with { FineTuneSchedule = LearningRateSchedule.Cosine }),
            "search_fine_tune_samples" => (request with { SearchFineTuneSamples = CompressRequest.DefaultSearchFineTuneSamples }, request with { SearchFineTuneSamples = 4096 }),
            _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
        };
        var plain = EngineCacheKey.Inputs(request, _model);
        var atDefaultKey = EngineCacheKey.Inputs(atDefault, _model);
        var changedKey = EngineCacheKey.Inputs(changed, _model);

        Assert.Null(atDefaultKey.SearchSettings);
        Assert.Equal(expected, changedKey.SearchSettings);
        Assert.Equal(CacheKey.Compute(plain), CacheKey.Compute(atDefaultKey));
        Assert.NotEqual(CacheKey.Compute(plain), CacheKey.Compute(changedKey));
    }

    [Theory]
    [InlineData(3, null, 1)]
    [InlineData(8, null, 4)]
    [InlineData(1, null, 1)]
    [InlineData(8, 3, 3)]
    [InlineData(4, 9, 4)]
    [InlineData(4, 0, 1)]
    public void Prune_steps_default_to_half_the_fine_tune_epochs_within_one_and_the_epochs(int epochs, int? steps, int expected)
    {
        var request = RequestFor(Item()) with { FineTuneEpochs = epochs, PruneSteps = steps };

        Assert.Equal(expected, request.EffectivePruneSteps);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("5,8,8")]
    [InlineData("five")]
    [InlineData("-5")]
    public void Bad_shared_weights_are_ADA3301(string text) =>
        Assert.Equal(AdaDeep.Onnx.Diagnostics.ErrorCodes.SharedWeightsInvalid,
            Assert.Throws<AdaDeep.Onnx.Diagnostics.AdaDeepException>(() => CompressRequest.ParseWeightSharing(text)).Code);

    [Fact]
    public void Shared_weights_take_fc_bits_and_default_conv_bits_to_8() =>
        Assert.Equal(new AdaDeep.Compression.Techniques.WeightSharingOptions(4, 8), CompressRequest.ParseWeightSharing("4"));

    [Fact]
    public void Fine_tune_epochs_change_the_key_through_their_own_field_only()
    {
        var item = Item();
        var plain = EngineCacheKey.Inputs(RequestFor(item), _model);
        var five = EngineCacheKey.Inputs(RequestFor(item) with { FineTuneEpochs = 5 }, _model);
        var one = EngineCacheKey.Inputs(RequestFor(item) with { FineTuneEpochs = 1 }, _model);

        Assert.Equal(5, five.FineTuneEpochs);
        Assert.Equal(plain.Optimizer, five.Optimizer);
        Assert.Null(five.SearchSettings);
        Assert.Equal(3, new[] { plain, five, one }.Select(CacheKey.Compute).Distinct().Count());
    }

    [Fact]
    public void An_invalid_item_makes_no_request()
    {
        var item = ModelItemSettings.Read("models/mlp.onnx", new Dictionary<string, string?> { ["Device"] = "" }.GetValueOrDefault, _project, null);
        var e = Assert.Throws<InvalidOperationException>(() => CompressRequest.ForItem(item, "out.onnx"));
        Assert.Contains("no target device", e.Message);
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    [Fact]
    public void AllowLossy_metadata_keys_and_passes_like_the_CLI_flag()
    {
        var item = Item(allowLossy: "true");
        var request = RequestFor(item);

        Assert.True(request.AllowLossy);
        Assert.Equal(item.Key(EngineIdentity), EngineCacheKey.For(request, _model));
        Assert.NotEqual(Item().Key(EngineIdentity), item.Key(EngineIdentity));
        Assert.Contains("--allow-lossy", item.ToolArguments("o.onnx", "r.json", "rep"));
        Assert.DoesNotContain("--allow-lossy", Item().ToolArguments("o.onnx", "r.json", "rep"));
    }

    private ModelItemSettings Item(string? allowLossy = null)
    {
        var metadata = new Dictionary<string, string?>
        {
            ["Device"] = "sony-sw3", ["LatencyBudgetMs"] = "12.5", ["MinAccuracy"] = "0.9", ["Dataset"] = "val.npz",
            ["Seed"] = "7", ["Optimizer"] = "greedy", ["TimeBudgetSeconds"] = "30", ["AllowLossy"] = allowLossy,
        };
        var item = ModelItemSettings.Read("models/mlp.onnx", metadata.GetValueOrDefault, _project, null);
        Assert.True(item.IsValid, string.Join("; ", item.Problems));
        return item;
    }

    private static CompressRequest RequestFor(ModelItemSettings item) => CompressRequest.ForItem(item, "unused.onnx");
}
