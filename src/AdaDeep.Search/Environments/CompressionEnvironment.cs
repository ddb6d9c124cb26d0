using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
using AdaDeep.Compression.FineTuning;
using AdaDeep.Compression.Techniques;
using AdaDeep.Compression.Techniques.Packing;
using AdaDeep.Devices.Costs;
using AdaDeep.Devices.Profiles;
using AdaDeep.Onnx.Analysis;
using AdaDeep.Onnx.Diagnostics;
using AdaDeep.Onnx.Model;
using AdaDeep.Search.Core;

namespace AdaDeep.Search.Environments;

/// <summary>
/// The search over a real ONNX model. Decision points are its Conv and fully connected layers (graph order) that
/// at least one allowed technique can rewrite; actions are "none" plus those techniques. Choosing a technique at a
/// decision point applies it (TechniqueRegistry) to that layer of the model rewritten so far; a configuration is
/// measured with ModelAnalyzer + CostModel on the device (S_p, C, T, E) and with <see cref="PairedSequentialAccuracy"/>
/// on a small, seeded validation batch (accuracy against labels, or top-1 agreement with the reference model when the
/// data has none), paired with the reference on the same samples and extended by more blocks where the floor decision
/// is close. With <see cref="CompressionEnvironmentOptions.QuickFineTuneData"/>, each candidate whose techniques need
/// it gets a short distillation first. Quantisation (Q8W, Q8) is deferred: it is applied after that fine-tuning
/// (<see cref="BuildTrainableModel(IReadOnlyList{string})"/> then <see cref="ApplyDeferred(OnnxModel, IReadOnlyList{string})"/>),
/// because training through the float bridge would undo int8 rounding. Storage is measured on the packed file
/// (its serialized bytes, as the pipeline's storage budget is), unless <see cref="CompressionEnvironmentOptions.MeasurePackedStorage"/> is off.
///
/// Legality follows the rewritten model: after L3 replaces the fc head at its first fc, the later fc layers are
/// gone and only "none" is legal there; any technique whose CanApply says no on the rewritten model is masked.
/// Rewrites are cached per configuration prefix (each prefix's model is built once from its parent's, LRU-bounded),
/// and metrics per configuration, so episodes that revisit a prefix cost nothing.
/// A rewrite that throws or changes the graph outputs' shapes (e.g. the class count) is rejected: the configuration
/// scores accuracy 0 and is listed in <see cref="Rejections"/>.
/// </summary>
public sealed class CompressionEnvironment : SearchEnvironmentBase
{
    private readonly OnnxModel _model;
    private readonly OnnxModel _reference;
    private readonly DeviceProfile _device;
    private readonly Dataset _batch;
    private readonly PairedSequentialAccuracy _accuracy;
    private readonly double? _accuracyFloor;
    private readonly ICompressionTechnique[] _techniques;
    private readonly string[] _actions;
    private readonly DecisionPoint[] _points;
    private readonly TechniqueOptions _techniqueOptions;
    private readonly ModelCache _models;
    private readonly Dictionary<string, IReadOnlyList<int>> _legal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);
    private readonly List<RejectedRewrite> _rejections = new();
    private readonly Dictionary<string, long[]> _outputShapes;

    public CompressionEnvironment(
        OnnxModel model,
        DeviceProfile device,
        SearchBudgets budgets,
        Dataset validation,
        OnnxModel? reference = null,
        CompressionEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(validation);
        options ??= CompressionEnvironmentOptions.Default;
        budgets.Validate();
        _model = model;
        _reference = reference ?? model;
        _device = device;
        Options = options;
        _models = new ModelCache(options.ModelCacheSize);

        _batch = ValidationBatch(model, validation, options);
        _accuracy = new PairedSequentialAccuracy(reference ?? model, SequentialBlocks(model, _batch, options), options.ReferenceAccuracy);
        _accuracyFloor = budgets.MinAccuracy;

        // Registry order whatever order the ids come in, so action indices never depend on how they were listed.
        var allowed = options.Techniques is { } ids ? TechniqueRegistry.Resolve(ids).ToArray() : TechniqueRegistry.All.ToArray();
        _techniqueOptions = WithCalibration(options, allowed, _batch);

        var analysis = ModelAnalyzer.Analyze(model);
        _outputShapes = OutputShapes(model, analysis);
        var applicable = ApplicableLayers(model, analysis, allowed);
        _techniques = allowed.Where(t => applicable.Any(x => x.Techniques.Contains(t))).ToArray();
        _actions = new[] { SearchActions.None }.Concat(_techniques.Select(t => t.Id)).ToArray();
        if (applicable.Length > options.GroupLayersAbove)
        {
            var techniquesOf = applicable.ToDictionary(x => x.Layer.NodeName, x => x.Techniques, StringComparer.Ordinal);
            _points = LayerGrouping.Stages(applicable.Select(x => x.Layer).ToArray(), options.StageCount)
                .Select(stage => new DecisionPoint(
                    StageName(stage),
                    StageFeatures(stage),
                    CandidateActions(stage.SelectMany(l => techniquesOf[l.NodeName]).Distinct()))
                {
                    Layers = stage.Select(l => l.NodeName).ToArray(),
                })
                .ToArray();
        }
        else
        {
            _points = applicable
                .Select(x => new DecisionPoint(x.Layer.NodeName, Features(x.Layer), CandidateActions(x.Techniques)))
                .ToArray();
        }

        OriginalModelMetrics = MeasureModel(model);
        var weights = options.Weights ?? RewardWeights.ForDevice(device);
        SetReward(new RewardFunction(weights, OriginalModelMetrics, budgets, options.OverBudgetPenalty));
    }

    /// <summary>
    /// ADA4004 when no technique among <paramref name="techniqueIds"/> (null: all) applies to any layer of the model:
    /// checked by the pipeline before it measures anything, so a refusal takes seconds, not the minutes a large model's
    /// first measurements take.
    /// </summary>
    public static void RequireSomethingToDecide(OnnxModel model, IReadOnlyList<string>? techniqueIds)
    {
        ArgumentNullException.ThrowIfNull(model);
        var allowed = techniqueIds is { } ids ? TechniqueRegistry.Resolve(ids).ToArray() : TechniqueRegistry.All.ToArray();
        ApplicableLayers(model, ModelAnalyzer.Analyze(model), allowed);
    }

    /// <summary>The Conv, fc and recurrent layers with the techniques that apply to each, in graph order; ADA4004 when none.</summary>
    private static (LayerInfo Layer, ICompressionTechnique[] Techniques)[] ApplicableLayers(OnnxModel model, ModelAnalysis analysis, IReadOnlyList<ICompressionTechnique> allowed)
    {
        var layers = analysis.Layers.Where(l => l.Kind is LayerKind.Conv or LayerKind.FullyConnected or LayerKind.Recurrent).ToArray();
        // Layers inside If/Loop/Scan bodies are costed but never decided (techniques rewrite top-level layers only);
        // a refusal still names them, with the reason the techniques give.
        var applicable = layers
            .Where(l => !l.InSubgraph)
            .Select(l => (Layer: l, Techniques: allowed.Where(t => t.CanApply(model, l.NodeName).CanApply).ToArray()))
            .Where(x => x.Techniques.Length > 0)
            .ToArray();
        if (applicable.Length == 0)
        {
            throw new AdaDeepException(ErrorCodes.SearchNothingToDecide,
                $"no technique among {string.Join(", ", allowed.Select(t => t.Id))} applies to any Conv, fully connected or recurrent layer of the model{RefusalCauses(model, layers, allowed)}",
                model.SourcePath);
        }

        return applicable;
    }

    /// <summary>": Q8W: Dropout ('drop') changed meaning in opset 10 … (12 layers)": the distinct reasons the techniques gave,
    /// most frequent first, so that an ADA4004 names the operator or opset that blocked them.</summary>
    private static string RefusalCauses(OnnxModel model, IReadOnlyList<LayerInfo> layers, IReadOnlyList<ICompressionTechnique> techniques)
    {
        if (layers.Count == 0)
        {
            return " (it has none)";
        }

        var causes = layers
            .SelectMany(l => techniques.Select(t => (t.Id, t.CanApply(model, l.NodeName).Reason)))
            .GroupBy(x => $"{x.Id}: {x.Reason}")
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(3)
            .Select(g => $"{g.Key} ({g.Count()} layer{(g.Count() == 1 ? "" : "s")})");
        return ": " + string.Join("; ", causes);
    }

    public CompressionEnvironmentOptions Options { get; }

    public DeviceProfile Device => _device;

    public override IReadOnlyList<DecisionPoint> DecisionPoints => _points;

    public override IReadOnlyList<string> Actions => _actions;

    /// <summary>"accuracy" (labelled validation data) or "agreement" (top-1 agreement with the reference model).</summary>
    public string AccuracyMetric => _batch.HasLabels ? "accuracy" : "agreement";

    /// <summary>Samples in the validation batch every candidate is measured on.</summary>
    public int ValidationCount => _batch.Count;

    /// <summary>How candidates' accuracy is estimated: paired with the reference, more samples near the floor.</summary>
    public PairedSequentialAccuracy AccuracyEstimator => _accuracy;

    /// <summary>The original model's metrics on this device and validation batch.</summary>
    public ConfigurationMetrics OriginalModelMetrics { get; }

    /// <summary>Rewrites that failed (see the class remarks), in the order met.</summary>
    public IReadOnlyList<RejectedRewrite> Rejections => _rejections;

    /// <summary>The action index of a technique id ("none" is 0); ADA3002 when it is not an action here.</summary>
    public int ActionIndex(string id)
    {
        for (var i = 0; i < _actions.Length; i++)
        {
            if (string.Equals(_actions[i], id, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new AdaDeepException(ErrorCodes.TechniqueUnknown, $"'{id}' is not one of this search's actions: {string.Join(", ", _actions)}");
    }

    /// <summary>Techniques applied after fine-tuning: int8 rounding that training through the float bridge would undo.</summary>
    public static bool IsDeferred(string techniqueId) => techniqueId is "Q8W" or "Q8";

    /// <summary>The rewritten model of a configuration (action indices): every technique applied, untrained.</summary>
    public OnnxModel BuildModel(IReadOnlyList<int> configuration) => ApplyDeferred(BuildTrainableModel(configuration), configuration);

    /// <summary>The rewritten model of a configuration given by action ids (one per decision point, or fewer).</summary>
    public OnnxModel BuildModel(IReadOnlyList<string> actionIds) => BuildModel(actionIds.Select(ActionIndex).ToArray());

    /// <summary>The configuration without its deferred techniques: dense float weights, ready to fine-tune.</summary>
    public OnnxModel BuildTrainableModel(IReadOnlyList<int> configuration)
    {
        var canonical = Trainable(configuration);
        return ModelFor(canonical) ?? throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
            $"configuration [{string.Join(", ", SearchActions.Ids(this, canonical))}] cannot be built: {_failed[SearchActions.Key(canonical)]}", _model.SourcePath);
    }

    public OnnxModel BuildTrainableModel(IReadOnlyList<string> actionIds) => BuildTrainableModel(actionIds.Select(ActionIndex).ToArray());

    /// <summary>Applies the configuration's deferred techniques (quantisation) to its (fine-tuned) trainable model, then
    /// <see cref="CompressionEnvironmentOptions.WeightSharing"/> when set.</summary>
    public OnnxModel ApplyDeferred(OnnxModel trainable, IReadOnlyList<int> configuration)
    {
        var model = trainable;
        for (var i = 0; i < configuration.Count; i++)
        {
            if (configuration[i] != SearchActions.NoneIndex && IsDeferred(_actions[configuration[i]]))
            {
                model = ApplyAt(_techniques[configuration[i] - 1], model, i);
            }
        }

        // Deep Compression's quantisation stage: shared weights for every Conv and fc layer, after the search's rewrites,
        // and int8 for the recurrent layers codebooks do not cover; else int8 weights for every layer still in float,
        // when asked.
        if (Options.WeightSharing is { } sharing)
        {
            var shared = WeightSharing.Apply(model, sharing);
            return Options.QuantizeRemaining ? WeightQuantizationTechnique.ApplyToAll(shared, _techniqueOptions, WeightQuantizationTechnique.RecurrentOps) : shared;
        }

        return Options.QuantizeRemaining ? WeightQuantizationTechnique.ApplyToAll(model, _techniqueOptions) : model;
    }

    public OnnxModel ApplyDeferred(OnnxModel trainable, IReadOnlyList<string> actionIds) => ApplyDeferred(trainable, actionIds.Select(ActionIndex).ToArray());

    /// <summary>Technique options for layer <paramref name="member"/> of the decision point at <paramref name="position"/>:
    /// its own seed, so random masks differ between layers.</summary>
    private TechniqueOptions OptionsAt(int position, int member = 0) =>
        _techniqueOptions with { Seed = _techniqueOptions.Seed + position + 1 + (7919 * member) };

    /// <summary>
    /// Applies a technique at a decision point: to its layer, or to every layer of its stage the technique fits in the
    /// model as rewritten so far, never twice to a layer one application already covered (P1 prunes a whole dependency
    /// group). ADA3xxx (not applicable) when it fits none.
    /// </summary>
    private OnnxModel ApplyAt(ICompressionTechnique technique, OnnxModel model, int position)
    {
        var point = _points[position];
        if (point.Layers.Count == 1)
        {
            return technique.Apply(model, point.Layers[0], OptionsAt(position));
        }

        var covered = new HashSet<string>(StringComparer.Ordinal);
        var applied = 0;
        for (var member = 0; member < point.Layers.Count; member++)
        {
            var layer = point.Layers[member];
            if (covered.Contains(layer) || !technique.CanApply(model, layer).CanApply)
            {
                continue;
            }

            covered.UnionWith(technique.LayersCovered(model, layer));
            model = technique.Apply(model, layer, OptionsAt(position, member));
            applied++;
        }

        return applied > 0 ? model : throw new AdaDeepException(ErrorCodes.TechniqueNotApplicable,
            $"technique {technique.Id} applies to no layer of {point.Name}", _model.SourcePath);
    }

    /// <summary>Whether a technique fits at least one layer of the decision point in this model.</summary>
    private static bool FitsAny(ICompressionTechnique technique, OnnxModel model, DecisionPoint point) =>
        point.Layers.Any(layer => technique.CanApply(model, layer).CanApply);

    /// <summary>The configuration with its deferred techniques replaced by "none", canonical. Legality and the model cache use it.</summary>
    private int[] Trainable(IReadOnlyList<int> configuration) =>
        SearchActions.Canonical(configuration.Select(a => a != SearchActions.NoneIndex && IsDeferred(_actions[a]) ? SearchActions.NoneIndex : a).ToArray());

    protected override IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix)
    {
        var canonical = SearchActions.Canonical(prefix);
        var key = SearchActions.Key(canonical) + "@" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_legal.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var point = _points[position];
        IReadOnlyList<int> legal;
        if (canonical.Length == 0)
        {
            legal = point.CandidateActions;
        }
        else if (ModelFor(Trainable(canonical)) is { } model)
        {
            legal = point.CandidateActions
                .Where(a => a == SearchActions.NoneIndex || FitsAny(_techniques[a - 1], model, point))
                .ToArray();
        }
        else
        {
            legal = new[] { SearchActions.NoneIndex };
        }

        _legal[key] = legal;
        return legal;
    }

    protected override ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration)
    {
        if (ModelFor(Trainable(canonicalConfiguration)) is { } trainableModel)
        {
            try
            {
                var trainable = QuickFineTune(trainableModel, canonicalConfiguration);
                return MeasureModel(ApplyDeferred(trainable, canonicalConfiguration));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                Reject(canonicalConfiguration, canonicalConfiguration.Count - 1, $"the rewritten model does not run: {e.Message}");
            }
        }

        // A rejected rewrite keeps its parent's costs and scores accuracy 0.
        var parent = Evaluate(canonicalConfiguration.Take(canonicalConfiguration.Count - 1).ToArray());
        return parent with { Accuracy = 0 };
    }

    private OnnxModel? ModelFor(IReadOnlyList<int> canonical)
    {
        if (canonical.Count == 0)
        {
            return _model;
        }

        var key = SearchActions.Key(canonical);
        if (_failed.ContainsKey(key))
        {
            return null;
        }

        if (_models.TryGet(key, out var cached))
        {
            return cached;
        }

        var last = canonical.Count - 1;
        var parent = ModelFor(SearchActions.Canonical(canonical.Take(last).ToArray()));
        if (parent is null)
        {
            _failed[key] = "an earlier rewrite of this configuration failed";
            return null;
        }

        var technique = _techniques[canonical[last] - 1];
        OnnxModel rewritten;
        try
        {
            rewritten = ApplyAt(technique, parent, last);
            var changed = ChangedOutput(rewritten);
            if (changed is not null)
            {
                Reject(canonical, last, changed);
                return null;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            Reject(canonical, last, e.Message);
            return null;
        }

        _models.Add(key, rewritten);
        return rewritten;
    }

    private void Reject(IReadOnlyList<int> canonical, int position, string reason)
    {
        var key = SearchActions.Key(canonical);
        if (_failed.TryAdd(key, reason))
        {
            _rejections.Add(new RejectedRewrite(
                string.Join(",", SearchActions.Ids(this, canonical)),
                _points[position].Name,
                _actions[canonical[position]],
                reason));
        }
    }

    /// <summary>
    /// Quick fine-tunes that <see cref="CompressionEnvironmentOptions.QuickFineTuneBudget"/> stopped before their one
    /// pass: their candidates' accuracy then depends on this machine's speed, which callers should say.
    /// </summary>
    public int QuickFineTunesCut { get; private set; }

    /// <summary>Candidates whose techniques change weights or architecture get a short distillation first.</summary>
    private OnnxModel QuickFineTune(OnnxModel trainable, IReadOnlyList<int> configuration)
    {
        if (Options.QuickFineTuneData is not { } data ||
            !configuration.Any(a => a != SearchActions.NoneIndex && _techniques[a - 1].NeedsFineTuning && !IsDeferred(_actions[a])))
        {
            return trainable;
        }

        try
        {
            // One pass over a fixed sample (not a time budget) keeps the search reproducible; the cap is only a guard.
            var options = new FineTuneOptions(MaxEpochs: 1, BatchSize: 32, TimeBudget: Options.QuickFineTuneBudget,
                Seed: Options.Seed, Patience: 1, Threads: 1);
            var tuned = Distiller.FineTune(_reference, trainable, data, _batch, options);
            if (tuned.StopReason == FineTuneStopReason.TimeBudget)
            {
                QuickFineTunesCut++;
            }

            return tuned.Model;
        }
        catch (AdaDeepException)
        {
            // The bridge cannot train this graph: measure the rewrite untrained.
            return trainable;
        }
    }

    private ConfigurationMetrics MeasureModel(OnnxModel model)
    {
        var shipped = Options.MeasurePackedStorage ? WeightPacker.Pack(model) : model;
        var analysis = ModelAnalyzer.Analyze(shipped);
        var costs = CostModel.Estimate(analysis, _device);
        var accuracy = _accuracy.Estimate(model, _accuracyFloor).Accuracy;
        // The pipeline judges the storage budget on the file that ships, decoders and graph included; the search must
        // judge the same bytes, or a configuration whose S_p fits can ship a file over the budget.
        var storage = Options.MeasurePackedStorage ? FileMB(shipped) : costs.WeightMB;
        return new ConfigurationMetrics(accuracy, costs.LatencyMs, storage, costs.EnergyMJ, costs.Macs);
    }

    /// <summary>The serialized model's size in MB (2^20 bytes, as the storage budget).</summary>
    public static double FileMB(OnnxModel model) => model.ByteSize / 1024.0 / 1024.0;

    /// <summary>Why the rewritten model's outputs differ from the original's, or null when they match.</summary>
    private string? ChangedOutput(OnnxModel rewritten)
    {
        var shapes = OutputShapes(rewritten, ModelAnalyzer.Analyze(rewritten));
        foreach (var (name, shape) in _outputShapes)
        {
            if (!shapes.TryGetValue(name, out var now))
            {
                return $"the rewrite removed the graph output '{name}'";
            }

            if (!now.SequenceEqual(shape))
            {
                return $"the rewrite changed output '{name}' from [{string.Join(",", shape)}] to [{string.Join(",", now)}]";
            }
        }

        return null;
    }

    private static Dictionary<string, long[]> OutputShapes(OnnxModel model, ModelAnalysis analysis)
    {
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var output in model.Graph.Output)
        {
            result[output.Name] = analysis.Shapes.TryGetValue(output.Name, out var shape) ? shape : Array.Empty<long>();
        }

        return result;
    }

    private static Dataset ValidationBatch(OnnxModel model, Dataset validation, CompressionEnvironmentOptions options)
    {
        var conformed = validation.ConformTo(model);
        var count = Math.Min(options.ValidationSamples, conformed.Count);
        if (count <= 0)
        {
            throw new AdaDeepException(ErrorCodes.DatasetMalformed, "the validation data set holds no sample to measure accuracy on", validation.Source);
        }

        var picked = Dataset.ShuffledIndices(conformed.Count, options.Seed)[..count];
        Array.Sort(picked);
        return conformed.Subset(picked);
    }

    /// <summary>The validation batch, then blocks of its size from <see cref="CompressionEnvironmentOptions.ExtraValidation"/>
    /// in their order, at most <see cref="CompressionEnvironmentOptions.SequentialBlocks"/> in all.</summary>
    private static Dataset[] SequentialBlocks(OnnxModel model, Dataset batch, CompressionEnvironmentOptions options)
    {
        var blocks = new List<Dataset> { batch };
        if (options.ExtraValidation is { } extra && extra.Count > 0)
        {
            var conformed = extra.ConformTo(model);
            for (var start = 0; blocks.Count < options.SequentialBlocks && start < conformed.Count; start += batch.Count)
            {
                blocks.Add(conformed.Subset(Enumerable.Range(start, Math.Min(batch.Count, conformed.Count - start)).ToArray()));
            }
        }

        return blocks.ToArray();
    }

    private static TechniqueOptions WithCalibration(CompressionEnvironmentOptions options, IEnumerable<ICompressionTechnique> allowed, Dataset batch)
    {
        var techniqueOptions = options.TechniqueOptions;
        if (techniqueOptions.Calibration is not null || !allowed.Any(t => t is StaticQuantizationTechnique))
        {
            return techniqueOptions;
        }

        // One sample per batch: that fits models whose batch dimension is fixed at 1 as well as symbolic ones.
        var calibration = batch.Take(Math.Max(1, options.CalibrationSamples));
        var batches = Enumerable.Range(0, calibration.Count).Select(i => calibration.Sample(i).ToArray()).ToArray();
        return techniqueOptions with
        {
            Calibration = new CalibrationData(batches, new[] { 1 }.Concat(calibration.SampleShape).ToArray())
            {
                // A model with more inputs than the primary one is calibrated on samples that feed them all.
                Samples = calibration.Extras.Count > 0 ? calibration : null,
            },
        };
    }

    private int[] CandidateActions(IEnumerable<ICompressionTechnique> techniques) =>
        new[] { SearchActions.NoneIndex }.Concat(techniques.Select(t => Array.IndexOf(_techniques, t) + 1)).Distinct().Order().ToArray();

    /// <summary>"first … last (7 layers)".</summary>
    private static string StageName(IReadOnlyList<LayerInfo> stage) =>
        stage.Count == 1 ? stage[0].NodeName : $"{stage[0].NodeName} … {stage[^1].NodeName} ({stage.Count} layers)";

    /// <summary>A stage as the agent sees it: the kind holding most of its MACs, its summed size, the channels it takes and gives.</summary>
    private static LayerFeatures StageFeatures(IReadOnlyList<LayerInfo> stage)
    {
        var kind = stage.GroupBy(l => l.Kind).MaxBy(g => g.Sum(l => l.Macs) + 1)!.Key;
        var first = Features(stage[0]);
        var last = Features(stage[^1]);
        return new LayerFeatures(kind, stage.Sum(l => l.Parameters), stage.Sum(l => l.Macs), first.InChannels, last.OutChannels);
    }

    private static LayerFeatures Features(LayerInfo layer)
    {
        var input = layer.InputShapes.Count > 0 ? layer.InputShapes[0] : null;
        var output = layer.OutputShapes.Count > 0 ? layer.OutputShapes[0] : null;
        return new LayerFeatures(layer.Kind, layer.Parameters, layer.Macs, Channels(layer.Kind, input), Channels(layer.Kind, output));
    }

    /// <summary>Channels of an activation: dimension 1 of a conv's NCHW tensor, the last dimension of an fc's.</summary>
    private static long Channels(LayerKind kind, long[]? shape) => shape switch
    {
        null or { Length: 0 } => 0,
        _ when kind == LayerKind.Conv && shape.Length > 1 => Math.Max(0, shape[1]),
        _ => Math.Max(0, shape[^1]),
    };
}
