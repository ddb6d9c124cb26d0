using AdaDeep.Compression.Data;
using AdaDeep.Compression.Evaluation;
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

    /// <summary>The rewritten model of a configuration (dense float weights, ready to fine-tune; not yet packed).</summary>
    public OnnxModel Materialize(IReadOnlyList<int> configuration)
    {
        var canonical = SearchActions.Canonical(configuration);
        var key = string.Join(",", canonical);
        if (_models.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var prefix = canonical[..^1];
        var model = Materialize(prefix);
        var action = canonical[^1];
        if (action != SearchActions.NoneIndex)
        {
            var point = DecisionPoints[canonical.Length - 1];
            model = TechniqueById(Actions[action]).Apply(model, point.Name, _options.Techniques with { Seed = _options.Techniques.Seed + canonical.Length });
        }

        _models[key] = model;
        return model;
    }

    /// <summary>Materialises a configuration given as action ids (as in <see cref="SearchCandidate.Actions"/>).</summary>
    public OnnxModel Materialize(IReadOnlyList<string> actionIds) =>
        Materialize(actionIds.Select(id => IndexOf(id)).ToArray());

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
        OnnxModel model;
        try
        {
            model = Materialize(canonicalConfiguration);
        }
        catch (AdaDeepException)
        {
            // A rewrite that fails on this combination is a useless candidate, not a failed search.
            return Useless();
        }

        return MeasureModel(model);
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
