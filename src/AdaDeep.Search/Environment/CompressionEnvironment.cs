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

namespace AdaDeep.Search.Environment;

/// <summary>
/// The real search problem (paper section 4): decision points are the model's conv and fully connected layers in
/// graph order; an action is a compression technique (or none) for that layer. A configuration is materialised by
/// applying its techniques one after another to the original model; its metrics are the cost model's S, C, T, E on
/// the device (storage of the packed file that would ship) and top-1 accuracy on a small validation batch, without
/// fine-tuning (the pipeline fine-tunes only the winner). Rewritten models are cached per configuration prefix, so
/// episodes that share a prefix share the work.
/// </summary>
public sealed class CompressionEnvironment : SearchEnvironmentBase
{
    private readonly OnnxModel _original;
    private readonly DeviceProfile _device;
    private readonly Dataset _validation;
    private readonly int[]? _referenceTop1;
    private readonly CompressionEnvironmentOptions _options;
    private readonly ICompressionTechnique[] _techniques;
    private readonly Dictionary<string, OnnxModel> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<int>> _legal = new(StringComparer.Ordinal);

    public CompressionEnvironment(OnnxModel original, DeviceProfile device, SearchBudgets budgets, Dataset validation,
        CompressionEnvironmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(budgets);
        ArgumentNullException.ThrowIfNull(validation);
        _original = original;
        _device = device;
        _validation = validation.ConformTo(original);
        _options = options ?? CompressionEnvironmentOptions.Default;
        _techniques = (_options.TechniqueIds ?? CompressionEnvironmentOptions.DefaultTechniqueIds)
            .Select(TechniqueRegistry.Get).ToArray();
        Actions = new[] { SearchActions.None }.Concat(_techniques.Select(t => t.Id)).ToArray();

        // Unlabelled data: accuracy is agreement with the original model's predictions, computed once.
        _referenceTop1 = _validation.HasLabels ? null : AccuracyEvaluator.PredictTop1(original, _validation);
        _models[""] = original;

        var analysis = ModelAnalyzer.Analyze(original);
        DecisionPoints = analysis.Layers
            .Where(l => l.Kind is LayerKind.Conv or LayerKind.FullyConnected)
            .Select(l => new DecisionPoint(l.NodeName, Features(l), CandidatesFor(original, l.NodeName)))
            .ToArray();
        if (DecisionPoints.Count == 0)
        {
            throw new AdaDeepException(ErrorCodes.SearchNothingToDecide,
                "the model has no conv or fully connected layer with constant weights: nothing to compress", original.SourcePath);
        }

        var coefficients = _options.Coefficients ?? FromDevice(RewardWeights.ForDevice(device));
        SetReward(new RewardFunction(coefficients, MeasureModel(original), budgets));
    }

    public override IReadOnlyList<DecisionPoint> DecisionPoints { get; }

    public override IReadOnlyList<string> Actions { get; }

    public DeviceProfile Device => _device;

    /// <summary>
    /// Techniques applied after fine-tuning: quantisation rounds weights to int8, which training through the float
    /// bridge would undo (and the bridge does not train DequantizeLinear graphs).
    /// </summary>
    public static bool IsDeferred(string techniqueId) => techniqueId is "Q8W" or "Q8";

    /// <summary>The rewritten model of a configuration: every technique applied (not yet fine-tuned nor packed).</summary>
    public OnnxModel Materialize(IReadOnlyList<int> configuration) => ApplyDeferred(MaterializeTrainable(configuration), configuration);

    /// <summary>Materialises a configuration given as action ids (as in <see cref="SearchCandidate.Actions"/>).</summary>
    public OnnxModel Materialize(IReadOnlyList<string> actionIds) => Materialize(Indices(actionIds));

    /// <summary>
    /// The configuration without its deferred techniques (dense float weights, ready to fine-tune). Rewrites are
    /// cached per prefix, so configurations that share a prefix share the work.
    /// </summary>
    public OnnxModel MaterializeTrainable(IReadOnlyList<int> configuration)
    {
        var canonical = SearchActions.Canonical(configuration.Select(a => IsDeferred(Actions[a]) ? SearchActions.NoneIndex : a).ToArray());
        var key = string.Join(",", canonical);
        if (_models.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var model = MaterializeTrainable(canonical[..^1]);
        var point = DecisionPoints[canonical.Length - 1];
        model = Apply(model, canonical[^1], point.Name, canonical.Length);
        _models[key] = model;
        return model;
    }

    public OnnxModel MaterializeTrainable(IReadOnlyList<string> actionIds) => MaterializeTrainable(Indices(actionIds));

    /// <summary>Applies the configuration's deferred techniques (quantisation) to a (fine-tuned) trainable model.</summary>
    public OnnxModel ApplyDeferred(OnnxModel trainable, IReadOnlyList<int> configuration)
    {
        var model = trainable;
        for (var i = 0; i < configuration.Count; i++)
        {
            if (IsDeferred(Actions[configuration[i]]))
            {
                model = Apply(model, configuration[i], DecisionPoints[i].Name, i + 1);
            }
        }

        return model;
    }

    public OnnxModel ApplyDeferred(OnnxModel trainable, IReadOnlyList<string> actionIds) => ApplyDeferred(trainable, Indices(actionIds));

    private OnnxModel Apply(OnnxModel model, int action, string nodeName, int position) =>
        action == SearchActions.NoneIndex
            ? model
            : TechniqueById(Actions[action]).Apply(model, nodeName, _options.Techniques with { Seed = _options.Techniques.Seed + position });

    private int[] Indices(IReadOnlyList<string> actionIds) => actionIds.Select(IndexOf).ToArray();

    protected override IReadOnlyList<int> LegalActionsAt(int position, IReadOnlyList<int> prefix)
    {
        var key = $"{position}|{SearchActions.Key(prefix.Take(position).ToArray())}";
        if (_legal.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var point = DecisionPoints[position];
        var model = Materialize(prefix.Take(position).ToArray());
        var legal = new List<int> { SearchActions.NoneIndex };
        foreach (var action in point.CandidateActions.Where(a => a != SearchActions.NoneIndex))
        {
            // An earlier rewrite may have removed or replaced this layer (L3 drops the fc head).
            if (TechniqueById(Actions[action]).CanApply(model, point.Name).CanApply)
            {
                legal.Add(action);
            }
        }

        _legal[key] = legal;
        return legal;
    }

    protected override ConfigurationMetrics Measure(IReadOnlyList<int> canonicalConfiguration)
    {
        try
        {
            var trainable = QuickFineTune(MaterializeTrainable(canonicalConfiguration), canonicalConfiguration);
            return MeasureModel(ApplyDeferred(trainable, canonicalConfiguration));
        }
        catch (AdaDeepException)
        {
            // A rewrite that fails on this combination is a useless candidate, not a failed search.
            return Useless();
        }
    }

    /// <summary>Candidates whose techniques change weights or architecture get a short distillation first.</summary>
    private OnnxModel QuickFineTune(OnnxModel model, IReadOnlyList<int> configuration)
    {
        if (_options.QuickFineTuneData is not { } data ||
            !configuration.Any(a => a != SearchActions.NoneIndex && (TechniqueById(Actions[a]).NeedsFineTuning || Actions[a] == "W3")))
        {
            return model;
        }

        try
        {
            var options = new FineTuneOptions(MaxEpochs: 1, BatchSize: 32, TimeBudget: _options.QuickFineTuneBudget,
                Seed: _options.Seed, Patience: 1, Threads: 1);
            return Distiller.FineTune(_original, model, data, _validation, options).Model;
        }
        catch (AdaDeepException)
        {
            // The bridge cannot train this graph: measure the rewrite untrained.
            return model;
        }
    }

    private ConfigurationMetrics MeasureModel(OnnxModel model)
    {
        var shipped = _options.MeasurePackedStorage ? WeightPacker.Pack(model) : model;
        var costs = CostModel.Estimate(ModelAnalyzer.Analyze(shipped), _device);
        double accuracy;
        try
        {
            accuracy = _referenceTop1 is null
                ? AccuracyEvaluator.Evaluate(model, _validation).Accuracy
                : AccuracyEvaluator.EvaluateAgainst(model, _validation, _referenceTop1).Accuracy;
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return Useless();
        }

        return new ConfigurationMetrics(accuracy, costs.LatencyMs, costs.WeightMB, costs.EnergyMJ, costs.Macs);
    }

    /// <summary>A configuration that cannot be built or run: zero accuracy and the original's costs, never chosen.</summary>
    private ConfigurationMetrics Useless() => Reward.Original with { Accuracy = 0 };

    private IReadOnlyList<int> CandidatesFor(OnnxModel model, string nodeName)
    {
        var candidates = new List<int> { SearchActions.NoneIndex };
        for (var i = 0; i < _techniques.Length; i++)
        {
            if (_techniques[i].CanApply(model, nodeName).CanApply)
            {
                candidates.Add(i + 1);
            }
        }

        return candidates;
    }

    private ICompressionTechnique TechniqueById(string id) => _techniques.First(t => t.Id == id);

    private int IndexOf(string id)
    {
        for (var i = 0; i < Actions.Count; i++)
        {
            if (Actions[i] == id)
            {
                return i;
            }
        }

        throw new AdaDeepException(ErrorCodes.TechniqueUnknown, $"'{id}' is not an action of this search ({string.Join(", ", Actions)})");
    }

    private static LayerFeatures Features(LayerInfo layer)
    {
        var input = layer.InputShapes.Count > 0 ? layer.InputShapes[0] : null;
        var output = layer.OutputShapes.Count > 0 ? layer.OutputShapes[0] : null;
        var inChannels = input is { Length: >= 2 } ? input[layer.Kind == LayerKind.Conv ? 1 : ^1] : 0;
        var outChannels = output is { Length: >= 2 } ? output[layer.Kind == LayerKind.Conv ? 1 : ^1] : 0;
        return new LayerFeatures(layer.Kind, layer.Parameters, layer.Macs, inChannels, outChannels);
    }

    private static RewardCoefficients FromDevice(RewardWeights w) => new(w.Mu1, w.Mu2, w.Mu3, w.Mu4);
}
